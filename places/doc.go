// Package places is the list of localities users pick from: the former
// districts of Quảng Nam and Đà Nẵng (abolished on 1 July 2025 but still
// how most people name where they live) and the communes and wards of the
// new Đà Nẵng city that the data file lists. Localities are data, not code:
// places.tsv is embedded and a staff-maintained file can replace it.
//
// Caveats: the embedded file lists the former districts only; the names of
// the 94 commune-level units of the new city are not in our sources yet.
// PLACES_FILE replaces the list without a release, and a user may always
// keep the name they typed.
package places
