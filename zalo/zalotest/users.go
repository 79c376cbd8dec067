package zalotest

import (
	"strconv"
	"time"
)

// user is the server's view of one Zalo user.
type user struct {
	sent       int
	last       time.Time // last interaction with the OA
	unfollowed bool
	banned     bool
	msgs       []Message
	lines      []string
}

func (s *Server) userLocked(id string) *user {
	u := s.users[id]
	if u == nil {
		u = &user{}
		s.users[id] = u
	}
	return u
}

// NewUser returns a fresh user ID, above 2^53 like Zalo's: FirstUser,
// then counting up.
func (s *Server) NewUser() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := strconv.FormatUint(s.nextID, 10)
	s.nextID++
	return id
}

// Touch records an interaction of user with the OA now, as every user
// event the server delivers does.
func (s *Server) Touch(user string) { s.SetLastInteraction(user, s.Now()) }

// SetLastInteraction sets when user last interacted with the OA: a user
// whose last interaction is older than Window (or who never interacted)
// cannot be sent messages (-230).
func (s *Server) SetLastInteraction(user string, at time.Time) {
	s.mu.Lock()
	s.userLocked(user).last = at
	s.mu.Unlock()
}

// LastInteraction is when user last interacted with the OA (zero: never).
func (s *Server) LastInteraction(user string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[user]; u != nil {
		return u.last
	}
	return time.Time{}
}

// Ban makes messages to user fail with -227 (banned or inactive for 45
// days).
func (s *Server) Ban(user string) {
	s.mu.Lock()
	s.userLocked(user).banned = true
	s.mu.Unlock()
}

// Now is the server's clock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}
