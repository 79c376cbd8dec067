// Package places is the list of localities users pick from: the former
// districts of Quảng Nam and Đà Nẵng (abolished on 1 July 2025 but still
// how most people name where they live) and the communes and wards of the
// new Đà Nẵng city that the data file lists. Localities are data, not code:
// places.tsv is embedded and a staff-maintained file can replace it.
//
// Each ward and commune names the former district(s) it lies in, so a
// search for "Tam Kỳ" offers the former city and its four new wards.
//
// Caveats: a unit formed from communes of two former districts of Quảng
// Nam lists the main one only. PLACES_FILE replaces the list without a
// release, and a user may always keep the name they typed.
package places
