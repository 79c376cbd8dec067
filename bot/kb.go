package bot

import (
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"github.com/qnstartup/trolykhoinghiep/policy"
	"github.com/qnstartup/trolykhoinghiep/store"
)

// The kb module: staff add or replace a policy document without a release
// by uploading a Markdown file with /kb. It is validated (front matter,
// size), takes effect at once and is kept in the store, so it is applied
// again at every start.

// maxKBFile is the largest document accepted, in bytes.
const maxKBFile = 256 << 10

func (b *Bot) kbModule() Module {
	return Module{
		Name:     "kb",
		Commands: []Command{{Name: "kb", Role: store.RoleStaff, Handler: func(c *Ctx) error { return c.Start("kb") }}},
		Flows: []*Flow{{
			Name: "kb",
			Steps: []Step{{
				Name:   "file",
				Prompt: b.kbPrompt,
				Input:  staffOnly(b.kbUpload),
			}},
		}},
	}
}

func (b *Bot) kbPrompt(c *Ctx) error {
	var sb strings.Builder
	if p := b.opt.Features.Policy; p != nil {
		docs := p.KB().Docs()
		sb.WriteString(c.T("kb.list_header", "Count", len(docs)))
		for _, d := range docs {
			fmt.Fprintf(&sb, "\n• %s – %s", Esc(d.Number), Esc(truncate(d.Title, 80)))
		}
		sb.WriteString("\n\n")
	}
	sb.WriteString(c.T("kb.prompt"))
	c.Reply(Reply{Text: sb.String(), Keyboard: c.NavKeyboard()})
	return nil
}

func (b *Bot) kbUpload(c *Ctx) error {
	p := b.opt.Features.Policy
	if p == nil {
		c.End()
		return Refuse("ask.unavailable")
	}
	doc := c.U.Document
	if doc == nil {
		return Refuse("kb.need_file")
	}
	if !strings.HasSuffix(strings.ToLower(doc.Name), ".md") {
		return Refuse("kb.not_markdown")
	}
	if doc.Size > maxKBFile {
		return Refuse("kb.too_big", "Max", maxKBFile>>10)
	}
	ch, _ := b.channel(c.U.Channel)
	dl, ok := ch.(Downloader)
	if !ok {
		return Refuse("kb.no_download")
	}
	data, err := dl.Download(c.Context(), doc.ID, maxKBFile)
	if err != nil {
		return fmt.Errorf("download %s: %w", doc.Name, err)
	}
	d, err := policy.Parse(doc.Name, data)
	if err != nil {
		return Refuse("kb.invalid", "Err", Esc(err.Error()))
	}
	c.End()
	c.Do(func(tx *store.Tx) error {
		if err := tx.PutKBDoc(doc.Name, data); err != nil {
			return err
		}
		return b.kbNotices(tx, c, p.KB(), d) // followers, and guides it changes
	})
	// Answers use it once it is stored (validated above, so Put succeeds).
	c.AfterCommit(func() {
		if err := p.KB().Put(doc.Name, data); err != nil {
			b.log.Error("apply uploaded document", "file", doc.Name, "err", err)
		}
	})
	c.Reply(Reply{Text: c.T("kb.saved", "Doc", Esc(d.Number)), Keyboard: b.MainMenu(c)})
	return nil
}

// ApplyUploads puts the documents staff uploaded with /kb over the
// knowledge base, in file-name order. A document that no longer validates
// is logged and skipped.
func ApplyUploads(st *store.Store, kb *policy.KB, log *slog.Logger) error {
	docs, err := st.KBDocs()
	if err != nil {
		return fmt.Errorf("read uploaded documents: %w", err)
	}
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := kb.Put(n, docs[n]); err != nil {
			log.Error("uploaded policy document no longer valid; skipped", "file", n, "err", err)
		}
	}
	return nil
}
