package bot

// Read access to the idea bank for the public web site.

// SearchIdeas returns the IDs of up to limit published public ideas
// matching query, best first, with the same diacritics- and
// Telex-tolerant search as /ideas in the chat. allow, if not nil, filters
// candidates before ranking; it runs under the index's read lock and must
// not search. The index first catches up with the store, so an idea
// published a moment ago is found.
func (b *Bot) SearchIdeas(query string, limit int, allow func(id uint64) bool) ([]uint64, error) {
	ix, err := b.ideas.sync(b.st)
	if err != nil {
		return nil, err
	}
	hits := ix.Search(query, limit, allow)
	ids := make([]uint64, len(hits))
	for n, h := range hits {
		ids[n] = h.ID
	}
	return ids, nil
}
