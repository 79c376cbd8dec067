package search

import (
	"math/rand/v2"
	"strings"
)

// Synthetic Vietnamese idea-like text: two-syllable words drawn with a
// Zipf-like distribution from a vocabulary built from common syllables.
var synthSyllables = strings.Fields(`khoi nghiep ho tro doanh nghiep sinh vien phu nu nong dan hop tac xa
san pham du lich cong dong nong nghiep cong nghe thong tin y tuong mo hinh kinh doanh trong trot chan nuoi
thuy san che bien dac san que huong nuoc mam banh trang rau sach huu co trai cay chuoi xoai mit dua
thi truong tieu thu xuat khau ban hang truc tuyen ung dung dien thoai nen tang ket noi nguoi dung
dao tao ky nang nghe nghiep thanh nien mien nui dan toc thieu so gia dinh lang nghe gom su det may
moi truong tai che rac thai nang luong mat troi tiet kiem chi phi von vay uu dai quy dau tu nha dau
giao duc tre em suc khoe cham soc nguoi gia dich vu van tai logistics kho lanh bao quan dong goi nhan
hieu thuong hieu chung nhan ocop sao chat luong an toan thuc pham truy xuat nguon goc ma vach
homestay trai nghiem van hoa am thuc le hoi bien dao song nuoc rung nui tam ky hoi an da nang quang nam`)

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
	// Zipf-like: squaring a uniform variate favours low indexes.
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

func synthTitle(rng *rand.Rand) string          { return synthText(rng, 2+rng.IntN(4)) }
func synthBody(rng *rand.Rand, words int) string { return synthText(rng, words/2+rng.IntN(words)) }
