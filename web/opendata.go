package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/qnstartup/trolykhoinghiep/sheet"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// Licence of the open data.
const (
	licenceName = "CC BY 4.0"
	licenceURL  = "https://creativecommons.org/licenses/by/4.0/"
)

// openIdea is one idea in the open data: public fields only. The author
// is never named here, even when they chose to be named on the idea page.
type openIdea struct {
	Code         string `json:"code"`
	URL          string `json:"url"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	Sector       string `json:"sector"`
	SectorName   string `json:"sector_name"`
	Locality     string `json:"locality"`
	LocalityName string `json:"locality_name"`
	AuthorKind   string `json:"author_kind"`
	Status       string `json:"status"`
	Supporters   int    `json:"supporters"`
	PublishedAt  string `json:"published_at"`
	Answer       string `json:"official_answer"`
}

// csvColumns documents the CSV, in order; /open-data lists them.
var csvColumns = []string{"code", "url", "title", "description", "sector", "sector_name", "locality", "locality_name", "author_kind", "status", "supporters", "published_at", "official_answer"}

func (o openIdea) record() []string {
	return []string{o.Code, o.URL, o.Title, o.Description, o.Sector, o.SectorName, o.Locality, o.LocalityName,
		o.AuthorKind, o.Status, strconv.Itoa(o.Supporters), o.PublishedAt, o.Answer}
}

func (s *Site) openIdea(rq *req, i *store.Idea) openIdea {
	o := openIdea{
		Code: i.Code, URL: rq.abs("/ideas/" + i.Code), Title: rq.public(i.Title), Description: rq.public(i.Description),
		Sector: i.Sector, SectorName: label(s.opt.Locales.For("vi").T("sector." + i.Sector)),
		Locality: i.Locality, LocalityName: s.locality(i.Locality), AuthorKind: i.AuthorKind,
		Status: i.Status, Supporters: i.Supporters, PublishedAt: published(i).UTC().Format(time.RFC3339),
	}
	if n := len(i.Answers); n > 0 {
		o.Answer = rq.public(i.Answers[n-1].Text)
	}
	return o
}

// eachOpen walks every idea in the bank, oldest first. The IDs are read
// in one short transaction and the ideas decoded in batches, each in its
// own: a slow download never holds a read transaction open while writing
// to the network (that would stall the bot's writers when the file grows).
func (s *Site) eachOpen(rq *req, fn func(openIdea) error) error {
	var ids []uint64
	s.opt.Store.View(func(tx *store.Tx) error {
		tx.PublicIDs(store.PublicQuery{}, true, func(id, _ uint64) bool { ids = append(ids, id); return true })
		return nil
	})
	const batch = 256
	for len(ids) > 0 {
		n := min(batch, len(ids))
		var rows []openIdea
		err := s.opt.Store.View(func(tx *store.Tx) error {
			for _, id := range ids[:n] {
				i, err := tx.Idea(id)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				if i.InBank() { // may have left the bank since the IDs were read
					rows = append(rows, s.openIdea(rq, i))
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, o := range rows {
			if err := fn(o); err != nil {
				return err
			}
		}
		ids = ids[n:]
	}
	return nil
}

// Open-data downloads: at most exportSlots at once, site-wide, and one
// per client. A client that takes no data for exportStall, or is still
// downloading after exportMax, is cut off, so slow readers cannot hold the
// slots.
const (
	exportSlots = 4
	exportStall = 10 * time.Second
	exportMax   = 3 * time.Minute
)

// download streams an open-data file in a slot, or answers 503 with
// Retry-After when the slots are taken or the client has one already.
func (s *Site) download(w http.ResponseWriter, rq *req, ctype string, fn func(io.Writer) error) {
	client := clientIP(rq.r, s.opt.ClientIPHeader)
	s.exportMu.Lock()
	busy := s.exporting[client] || len(s.exporting) >= exportSlots
	if !busy {
		s.exporting[client] = true
	}
	s.exportMu.Unlock()
	if busy {
		w.Header().Set("Retry-After", "30")
		s.errorPage(w, rq, http.StatusServiceUnavailable)
		return
	}
	defer func() {
		s.exportMu.Lock()
		delete(s.exporting, client)
		s.exportMu.Unlock()
	}()
	sw := &stallWriter{ResponseWriter: w, rc: http.NewResponseController(w), end: time.Now().Add(exportMax)}
	s.stream(sw, rq.r, ctype, "public, no-cache", fn)
}

// stallWriter gives each write exportStall to reach the client, within
// exportMax of the start.
type stallWriter struct {
	http.ResponseWriter
	rc  *http.ResponseController
	end time.Time
}

func (w *stallWriter) Write(p []byte) (int, error) {
	d := time.Now().Add(exportStall)
	if d.After(w.end) {
		d = w.end
	}
	w.rc.SetWriteDeadline(d) // not supported: the server's WriteTimeout holds
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *stallWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// exportCSV is "/open-data/ideas.csv".
func (s *Site) exportCSV(w http.ResponseWriter, rq *req) {
	w.Header().Set("Content-Disposition", `attachment; filename="ideas.csv"`)
	s.download(w, rq, "text/csv; charset=utf-8", func(out io.Writer) error {
		bw := bufio.NewWriterSize(out, 32<<10)
		bw.WriteString("\ufeff") // lets spreadsheet programs read UTF-8
		cw := csv.NewWriter(bw)
		cw.Write(csvColumns)
		err := s.eachOpen(rq, func(o openIdea) error {
			rec := o.record()
			for n := range rec {
				rec[n] = sheet.Cell(rec[n])
			}
			return cw.Write(rec)
		})
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		return err
	})
}

// exportJSON is "/open-data/ideas.json": {"licence","generated_at","ideas"}.
func (s *Site) exportJSON(w http.ResponseWriter, rq *req) {
	s.download(w, rq, "application/json; charset=utf-8", func(out io.Writer) error {
		bw := bufio.NewWriterSize(out, 32<<10)
		lic, _ := json.Marshal(licenceName + " " + licenceURL)
		fmt.Fprintf(bw, `{"licence":%s,"generated_at":%q,"ideas":[`, lic, s.opt.Now().UTC().Format(time.RFC3339))
		first := true
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		err := s.eachOpen(rq, func(o openIdea) error {
			if !first {
				bw.WriteByte(',')
			}
			first = false
			return enc.Encode(o)
		})
		bw.WriteString("]}\n")
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		return err
	})
}

// openData is "/open-data": what the files hold, their columns, the licence.
func (s *Site) openData(w http.ResponseWriter, rq *req) {
	type column struct{ Name, Meaning string }
	type body struct {
		Columns              []column
		CSV, JSON            string
		LicenceName, Licence string
		Count                string
	}
	b := body{CSV: "/open-data/ideas.csv", JSON: "/open-data/ideas.json", LicenceName: licenceName, Licence: licenceURL}
	for _, c := range csvColumns {
		b.Columns = append(b.Columns, column{c, rq.T("web.open.col_" + c)})
	}
	s.opt.Store.View(func(tx *store.Tx) error { b.Count = rq.num(tx.PublicStats().Ideas); return nil })
	s.render(w, rq, http.StatusOK, &page{Name: "opendata", Title: rq.T("web.open.title"), Description: rq.T("web.open.summary"),
		Canonical: rq.abs(rq.link("/open-data")), Body: b})
}
