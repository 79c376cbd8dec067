package policy

import "strings"

// domainTerms are folded terms (syllables, or bigrams "a_b") that place a
// question in the knowledge base's domain: startups and innovation, OCOP,
// the documents and bodies that govern them, and the 2025 reorganisation of
// Quảng Nam and Đà Nẵng. A question with none of them ("thủ tục đăng ký
// kết hôn", "giá vàng hôm nay") needs a much closer match to be answered.
// Place names are not in the list: "thời tiết Đà Nẵng" is not our domain.
// English words the analyser leaves as they are count too.
var domainTerms = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range strings.Fields(`
		khoi_nghiep startup ocop doanh_nghiep hop_tac_xa to_hop_tac ho_kinh_doanh ho_san_xuat
		san_pham du_an y_tuong sang_tao doi_moi de_an nghi_quyet quyet_dinh thong_tu nghi_dinh
		chi_thi luat ke_hoach chinh_sach chuong_trinh cong_van thong_bao
		techfest ngay_hoi hoi_cho trien_lam su_kien gian_hang
		cuoc_thi giai_thuong tien_thuong dien_dan
		quy_dau_tu dau_tu goi_von goi_vay
		sap_nhap hop_nhat sap_xep cap_huyen cap_xa cap_tinh don_vi_hanh_chinh dac_khu chinh_quyen
		dien_tich dan_so hoang_sa phuong don_vi hanh_chinh
		phu_nu sinh_vien hoc_sinh nong_dan thanh_nien
		uom_tao vuon_uom so_huu_tri_tue nhan_hieu thuong_hieu
		kinh_phi ngan_sach muc_chi muc_ho_tro
		hoi_dong ban_dieu_hanh to_cong_tac khoa_hoc tinh_uy ubnd hdnd thu_tuong quoc_hoi
		he_sinh_thai xep_hang cong_nghiep_nong_thon nong_thon mien_nui
		khau_hieu cong_thong_tin dau_moi lien_he
		hdnd ubnd dnnvv nho_va
		decision resolution decree circular scheme programme program project projects
		festival booth booths merger merged council committee ministry women students
		cooperative cooperatives enterprise enterprises sme smes ranking startupblink
		ecosystem special_zone commune communes ward wards district districts
	`) {
		m[t] = true
	}
	return m
}()

// hasAnchor reports whether the analysed question has a domain term.
func hasAnchor(terms []string) bool {
	for _, t := range terms {
		if domainTerms[t] {
			return true
		}
	}
	return false
}
