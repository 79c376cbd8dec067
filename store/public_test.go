package store

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestPublicIndexModel applies random changes to ideas and checks every
// public listing, count and counter against a brute-force reading.
func TestPublicIndexModel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	sectors := []string{"agri", "it", "ocop"}
	locs := []string{"hoian", "tamky", ""}
	t0 := time.Date(2025, 1, 31, 20, 0, 0, 0, time.UTC)
	for step := range 400 {
		err := s.Update(func(tx *Tx) error {
			n := uint64(tx.CountIdeas())
			if n < 40 || rng.IntN(4) == 0 {
				i := &Idea{Title: fmt.Sprint("idea ", step), Status: IdeaSubmitted, Sector: sectors[rng.IntN(3)],
					Locality: locs[rng.IntN(3)], Public: rng.IntN(5) > 0, Created: t0.Add(time.Duration(step) * 7 * time.Hour)}
				return tx.AddIdea(i)
			}
			i, err := tx.Idea(1 + rng.Uint64N(n))
			if err != nil {
				return err
			}
			switch rng.IntN(5) {
			case 0:
				i.Status = IdeaStatuses[rng.IntN(len(IdeaStatuses))]
				if i.InBank() && i.Published.IsZero() {
					i.Published = i.Created.Add(time.Hour)
				}
			case 1:
				i.Sector, i.Locality = sectors[rng.IntN(3)], locs[rng.IntN(3)]
			case 2:
				i.Public = !i.Public
			default:
				_, err := tx.SetSupport(i.ID, int64(rng.IntN(6)+1), rng.IntN(3) > 0)
				return err
			}
			return tx.PutIdea(i)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	checkPublic(t, s, sectors, locs)

	// A database from before the public index is rebuilt at Open.
	if err := s.Update(func(tx *Tx) error {
		if err := tx.tx.Bucket(bucketMeta).Delete(metaPubIndex); err != nil {
			return err
		}
		return tx.tx.Bucket(bucketIdeaPubStats).Put([]byte("sup"), u64(999999))
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	checkPublic(t, s2, sectors, locs)
	if err := s2.Check(); err != nil {
		t.Error(err)
	}
}

func checkPublic(t *testing.T, s *Store, sectors, locs []string) {
	t.Helper()
	err := s.View(func(tx *Tx) error {
		var all []*Idea
		want := PublicStats{BySector: map[string]int{}, ByLocality: map[string]int{}, ByStatus: map[string]int{}, ByMonth: map[string]int{}, All: map[string]int{}}
		tx.EachIdea(func(i *Idea) error {
			want.All[i.Status]++
			if i.InBank() {
				all = append(all, i)
				want.Ideas++
				want.Supports += i.Supporters
				want.BySector[i.Sector]++
				if i.Locality != "" {
					want.ByLocality[i.Locality]++
				}
				want.ByStatus[i.Status]++
				want.ByMonth[publishedMonth(i)]++
			}
			return nil
		})
		got := tx.PublicStats()
		if got.Ideas != want.Ideas || got.Supports != want.Supports || !maps.Equal(got.BySector, want.BySector) ||
			!maps.Equal(got.ByLocality, want.ByLocality) || !maps.Equal(got.ByStatus, want.ByStatus) ||
			!maps.Equal(got.ByMonth, want.ByMonth) || !maps.Equal(got.All, want.All) {
			t.Errorf("stats:\n got %+v\nwant %+v", got, want)
		}
		if want.Ideas == 0 {
			t.Fatal("no idea in the bank: the test proves nothing")
		}
		for _, st := range append([]string{""}, BankStatuses...) {
			for _, sec := range append([]string{""}, sectors...) {
				for _, loc := range locs {
					for _, order := range []string{SortNewest, SortSupported} {
						q := PublicQuery{Sector: sec, Locality: loc, Status: st, Sort: order}
						var exp []*Idea
						for _, i := range all {
							if (st == "" || i.Status == st) && (sec == "" || i.Sector == sec) && (loc == "" || i.Locality == loc) {
								exp = append(exp, i)
							}
						}
						slices.SortFunc(exp, func(a, b *Idea) int {
							ka, kb := a.Published.UnixNano(), b.Published.UnixNano()
							if order == SortSupported {
								ka, kb = int64(a.Supporters), int64(b.Supporters)
							}
							if ka != kb {
								return -cmpInt(ka, kb)
							}
							return -cmpInt(int64(a.ID), int64(b.ID))
						})
						if n := tx.PublicCount(q); n != len(exp) {
							t.Errorf("%+v: count %d, want %d", q, n, len(exp))
						}
						page, err := tx.PublicPage(q, 2, 5)
						if err != nil {
							return err
						}
						var gotIDs, wantIDs []uint64
						for _, i := range page {
							gotIDs = append(gotIDs, i.ID)
						}
						for n, i := range exp {
							if n >= 2 && n < 7 {
								wantIDs = append(wantIDs, i.ID)
							}
						}
						if !slices.Equal(gotIDs, wantIDs) {
							t.Errorf("%+v: page %v, want %v", q, gotIDs, wantIDs)
						}
						var asc []uint64
						tx.PublicIDs(q, true, func(id, _ uint64) bool { asc = append(asc, id); return true })
						slices.Reverse(asc)
						var expAll []uint64
						for _, i := range exp {
							expAll = append(expAll, i.ID)
						}
						if !slices.Equal(asc, expAll) {
							t.Errorf("%+v: ascending walk %v, want reverse of %v", q, asc, expAll)
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestPublicIDsStopsEarly(t *testing.T) {
	s := MustOpen(t)
	err := s.Update(func(tx *Tx) error {
		for n := range 5 {
			at := time.Date(2025, 3, 1, 0, 0, n, 0, time.UTC)
			if err := tx.AddIdea(&Idea{Title: "x", Status: IdeaPublished, Public: true, Created: at, Published: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		var ids []uint64
		tx.PublicIDs(PublicQuery{}, false, func(id, _ uint64) bool { ids = append(ids, id); return len(ids) < 2 })
		if !slices.Equal(ids, []uint64{5, 4}) {
			t.Errorf("walk = %v, want [5 4]", ids)
		}
		cards, err := tx.PublicCards([]uint64{5, 4})
		if err != nil || len(cards) != 2 || cards[0].Code != "YT-000005" || !cards[1].InBank() {
			t.Errorf("cards = %+v, %v", cards, err)
		}
		if _, err := tx.PublicCards([]uint64{99}); err == nil {
			t.Error("card of a missing idea: no error")
		}
		if p, _ := tx.PublicPage(PublicQuery{}, 10, 5); len(p) != 0 {
			t.Errorf("page past the end has %d ideas", len(p))
		}
		return nil
	})
}
