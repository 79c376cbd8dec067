package bot

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/qnstartup/trolykhoinghiep/locales"
	"github.com/qnstartup/trolykhoinghiep/places"
	"github.com/qnstartup/trolykhoinghiep/sheet"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// Export of the whole idea bank, shared by /export and the command line.
// Exports contain phone numbers: they are marked confidential (file name,
// column name, JSON notice) and are for staff only.

// ExportConfidential is the notice carried by every export.
const ExportConfidential = "MẬT – chỉ dành cho cán bộ: có số điện thoại của tác giả / CONFIDENTIAL – staff only: contains authors' phone numbers"

// ExportIdea is one idea in an export.
type ExportIdea struct {
	Code         string    `json:"code"`
	Status       string    `json:"status"`
	Title        string    `json:"title"`
	Description  string    `json:"description"`
	Sector       string    `json:"sector"`
	SectorName   string    `json:"sector_name"`
	Locality     string    `json:"locality"`
	LocalityName string    `json:"locality_name"`
	AuthorKind   string    `json:"author_kind"`
	Public       bool      `json:"public"`
	Consent      bool      `json:"consent"`
	Supporters   int       `json:"supporters"`
	Followers    int       `json:"followers"`
	DuplicateOf  string    `json:"duplicate_of,omitempty"`
	Reason       string    `json:"reason,omitempty"`
	Answers      []string  `json:"answers,omitempty"`
	Photos       int       `json:"photos"`
	Voice        bool      `json:"voice"`
	AuthorID     int64     `json:"author_id,omitempty"`
	AuthorName   string    `json:"author_name,omitempty"`
	Phone        string    `json:"phone_confidential,omitempty"`
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`
	Published    time.Time `json:"published,omitzero"`
}

var exportColumns = []string{
	"code", "status", "title", "description", "sector", "sector_name", "locality", "locality_name",
	"author_kind", "public", "consent", "supporters", "followers", "duplicate_of", "reason", "answers",
	"photos", "voice", "author_id", "author_name", "phone (MẬT/CONFIDENTIAL)", "created", "updated", "published",
}

func (e *ExportIdea) row() []string {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(Vietnam).Format("2006-01-02 15:04")
	}
	author := ""
	if e.AuthorID != 0 {
		author = strconv.FormatInt(e.AuthorID, 10)
	}
	return []string{
		e.Code, e.Status, e.Title, e.Description, e.Sector, e.SectorName, e.Locality, e.LocalityName,
		e.AuthorKind, strconv.FormatBool(e.Public), strconv.FormatBool(e.Consent), strconv.Itoa(e.Supporters),
		strconv.Itoa(e.Followers), e.DuplicateOf, e.Reason, strings.Join(e.Answers, "\n---\n"),
		strconv.Itoa(e.Photos), strconv.FormatBool(e.Voice), author, e.AuthorName, e.Phone,
		ts(e.Created), ts(e.Updated), ts(e.Published),
	}
}

// CheckExportFormat refuses a format ExportIdeas cannot write, before
// anything is opened for it.
func CheckExportFormat(format string) error {
	if format != "csv" && format != "json" {
		return fmt.Errorf("export: unknown format %q (want csv or json)", format)
	}
	return nil
}

// ExportIdeas writes every idea to w as "csv" (UTF-8 with a byte-order
// mark so spreadsheet programs read Vietnamese correctly) or "json".
func ExportIdeas(st *store.Store, w io.Writer, format string) error {
	if err := CheckExportFormat(format); err != nil {
		return err
	}
	bundle, err := locales.Load(nil)
	if err != nil {
		return err
	}
	vi := bundle.For("vi")
	pl := places.Default()
	conv := func(i *store.Idea) *ExportIdea {
		e := &ExportIdea{
			Code: i.Code, Status: i.Status, Title: i.Title, Description: i.Description,
			Sector: i.Sector, Locality: i.Locality, LocalityName: pl.Name(i.Locality), AuthorKind: i.AuthorKind,
			Public: i.Public, Consent: i.Consent, Supporters: i.Supporters, Followers: i.Followers,
			Reason: i.Reason, Photos: len(i.Photos), Voice: i.Voice != "", AuthorID: i.AuthorID,
			AuthorName: i.AuthorName, Phone: i.Phone, Created: i.Created, Updated: i.Updated, Published: i.Published,
		}
		if i.Sector != "" {
			e.SectorName = vi.T("sector." + i.Sector)
		}
		if i.DuplicateOf != 0 {
			e.DuplicateOf = store.IdeaCode(i.DuplicateOf)
		}
		for _, a := range i.Answers {
			e.Answers = append(e.Answers, a.Text)
		}
		return e
	}
	bw := bufio.NewWriter(w)
	if format == "csv" {
		bw.WriteString("\ufeff")
		cw := csv.NewWriter(bw)
		cw.UseCRLF = true
		if err := cw.Write(exportColumns); err != nil {
			return err
		}
		err = st.View(func(tx *store.Tx) error {
			return tx.EachIdea(func(i *store.Idea) error { return cw.Write(sheet.Row(conv(i).row())) })
		})
		if err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return bw.Flush()
	}
	head, _ := json.Marshal(ExportConfidential)
	fmt.Fprintf(bw, "{\"confidential\":%s,\n\"ideas\":[", head)
	n := 0
	err = st.View(func(tx *store.Tx) error {
		return tx.EachIdea(func(i *store.Idea) error {
			data, err := json.Marshal(conv(i))
			if err != nil {
				return err
			}
			if n > 0 {
				bw.WriteByte(',')
			}
			n++
			bw.WriteString("\n")
			_, err = bw.Write(data)
			return err
		})
	})
	if err != nil {
		return err
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}
