package web_test

import (
	"net/http"
	"net/http/httptest"
	"unicode/utf8"
)

func httpReq(method, target string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.RemoteAddr = "203.0.113.7:5555"
	return r
}

func recorder(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func utf8Valid(s string) bool { return utf8.ValidString(s) }
