package policy

import "testing"

// TestPlaceTier: the support tier of the place an event question names,
// and words that only look like a country's name.
func TestPlaceTier(t *testing.T) {
	for _, tc := range []struct{ q, tier string }{
		{"đi hội chợ khởi nghiệp ở Mỹ thì được hỗ trợ bao nhiêu", tierAbroad},
		{"muốn xin French Tech Visa qua Pháp khởi nghiệp thì cần những gì", tierAbroad},
		{"du an di ngay hoi khoi nghiep o an do thi tinh ho tro bao nhieu", tierAbroad},
		{"đi ngày hội khởi nghiệp ở Thái Lan được bao nhiêu", tierASEAN},
		{"Our startup has been invited to a demo day in Ho Chi Minh City. Up to how much can Quang Nam cover for us?", tierDomestic},
		{"ngày hội khởi nghiệp ở Quảng Nam hỗ trợ bao nhiêu", tierHome},
		// Ordinary words.
		{"giải pháp hỗ trợ khởi nghiệp ở Quảng Nam", ""},
		{"các nghị quyết quy phạm pháp luật của HĐND tỉnh Quảng Nam cũ còn áp dụng không", ""},
		{"sản phẩm thủ công mỹ nghệ có được OCOP không", ""},
		{"Nghị quyết 09 được ban hành để thực hiện đề án quốc gia nào, đề án đó được phê duyệt ngày nào", ""},
	} {
		qi := &question{text: tc.q, folded: padFold(tc.q), lower: lowerText(tc.q)}
		qi.home = homeLocality(qi.folded)
		qi.place = foreignPlace(qi.folded)
		if got, place := placeTier(qi); got != tc.tier {
			t.Errorf("%q: tier %q (%s), want %q", tc.q, got, place, tc.tier)
		}
	}
}
