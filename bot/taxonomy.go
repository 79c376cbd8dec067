package bot

import (
	"time"

	"github.com/qnstartup/trolykhoinghiep/places"
	"github.com/qnstartup/trolykhoinghiep/policy"
)

// Features are the optional parts and limits flows rely on. main.go fills
// them from the configuration.
type Features struct {
	Places *places.List
	// IdeasPerDay limits idea submissions per user per day.
	IdeasPerDay int
	// BroadcastRate is how many announcement messages a second are sent
	// at most, over all jobs (default 25).
	BroadcastRate float64
	// BroadcastWorkers is how many messages of a job are in flight at once
	// (default 8): enough to reach the rate over a slow network.
	BroadcastWorkers int
	// Policy answers policy questions (nil: the ask module says it is
	// unavailable).
	Policy *policy.Answerer
	// Curated holds staff answers reused for matching questions; Policy
	// should be built with Curated.Lookup as its Curated option.
	Curated *CuratedAnswers
	// LLM reports whether a language model is configured (shows "typing…").
	LLM bool
	// LLMPerDay limits model-written answers per user per day (default 20).
	LLMPerDay int
	// AnswerTimeout bounds one answer, model included (default 25s).
	AnswerTimeout time.Duration
	// LLMPerDayTotal caps model-written answers per day over all users
	// (default 1000).
	LLMPerDayTotal int
	// CollabPerDay, ForwardsPerDay and AnnouncementsPerDay cap, per user
	// and day, collaboration requests, questions passed to staff and
	// announcements by a staff member (defaults 5, 5, 3; an admin may
	// raise a staff member's announcement cap for the day).
	CollabPerDay, ForwardsPerDay, AnnouncementsPerDay int
	// BroadcastConfirmOver is the audience above which an announcement
	// waits for an admin's confirmation (default 1000).
	BroadcastConfirmOver int
	// BackupRecipient is the age recipient (or several, comma-separated)
	// that /backup encrypts to; empty: /backup refuses.
	BackupRecipient string
}

// Sectors are the province's priority sectors; labels are "sector.<code>".
var Sectors = []string{"agri", "tourism", "it", "industry", "ocop", "science"}

// Kinds are who a user or an idea's author is; labels are "kind.<code>".
var Kinds = []string{"farmer", "woman", "youth", "student", "coop", "misc"}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// places returns the locality list.
func (b *Bot) places() *places.List {
	if b.opt.Features.Places == nil {
		b.opt.Features.Places = places.Default()
	}
	return b.opt.Features.Places
}
