package search

import (
	"math/rand/v2"
	"strings"
)

// Synthetic Vietnamese idea-like text: two-syllable words drawn with a
// Zipf-like distribution from a vocabulary built from common accented
// syllables.
var synthSyllables = strings.Fields(`khởi nghiệp hỗ trợ doanh sinh viên phụ nữ nông dân hợp tác xã
sản phẩm du lịch cộng đồng nông công nghệ thông tin ý tưởng mô hình kinh trồng trọt chăn nuôi
thủy chế biến đặc quê hương nước mắm bánh tráng rau sạch hữu cơ trái cây chuối xoài mít dừa
thị trường tiêu thụ xuất khẩu bán hàng trực tuyến ứng dụng điện thoại nền tảng kết nối người dùng
đào tạo kỹ năng nghề thanh niên miền núi dân tộc thiểu số gia đình làng gốm sứ dệt may
môi tái chế rác thải năng lượng mặt trời tiết kiệm chi phí vốn vay ưu đãi quỹ đầu tư nhà
giáo dục trẻ em sức khỏe chăm sóc già dịch vụ vận tải kho lạnh bảo quản đóng gói nhãn
hiệu chứng nhận OCOP sao chất lượng an toàn thực truy xuất nguồn gốc mã vạch
homestay trải nghiệm văn hóa ẩm thực lễ hội biển đảo sông rừng Tam Kỳ Hội An Đà Nẵng Quảng Nam`)

var synthWords = func() []string {
	rng := rand.New(rand.NewPCG(7, 11))
	words := make([]string, 0, 4000)
	seen := map[string]bool{}
	for len(words) < 4000 {
		a := synthSyllables[rng.IntN(len(synthSyllables))]
		b := synthSyllables[rng.IntN(len(synthSyllables))]
		w := a + " " + b
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}()

func synthWord(rng *rand.Rand) string {
	// Zipf-like: a cubed uniform variate favours low indexes.
	u := rng.Float64()
	return synthWords[int(u*u*u*float64(len(synthWords)))]
}

func synthText(rng *rand.Rand, words int) string {
	var b strings.Builder
	for i := range words {
		if i > 0 {
			if rng.IntN(8) == 0 {
				b.WriteString(", ")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(synthWord(rng))
	}
	return b.String()
}

func synthTitle(rng *rand.Rand) string           { return synthText(rng, 2+rng.IntN(4)) }
func synthBody(rng *rand.Rand, words int) string { return synthText(rng, words/2+rng.IntN(words)) }

// synthQuery returns a query of a few words, sometimes without diacritics
// or with Telex residue, as users type.
func synthQuery(rng *rand.Rand, words int) string {
	q := synthText(rng, words)
	switch rng.IntN(3) {
	case 0:
		return Fold(q)
	case 1:
		// Telex residue on one word: the folded word plus a tone key.
		f := strings.Fields(Fold(q))
		f[rng.IntN(len(f))] += "j"
		return strings.Join(f, " ")
	}
	return q
}
