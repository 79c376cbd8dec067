package telegramtest

import (
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// storedFile is a file the server knows by file_id: uploaded by the bot,
// sent by a user, or provided with PutFile.
type storedFile struct {
	id      string
	kind    string
	name    string
	path    string // file_path, assigned by the first getFile
	size    int
	data    []byte
	hasData bool
}

func (s *Server) fileLocked(id, kind string) *storedFile {
	f := s.files[id]
	if f == nil {
		f = &storedFile{id: id, kind: kind}
		s.files[id] = f
	}
	return f
}

// newFileIDLocked returns a file_id for an upload.
func (s *Server) newFileIDLocked(kind string) string {
	s.lastFile++
	return kind + "-" + strconv.Itoa(s.lastFile)
}

func (f *storedFile) wire() apiFile {
	return apiFile{FileID: f.id, FileUniqueID: "u-" + f.id, FileSize: f.size, FilePath: f.path}
}

func (s *Server) getFile(r *request) reply {
	id := r.params["file_id"]
	f := s.files[id]
	if id == "" || f == nil {
		return badRequest("Bad Request: invalid file_id")
	}
	if f.path == "" {
		s.lastFile++
		f.path = f.kind + "s/file_" + strconv.Itoa(s.lastFile) + path.Ext(f.name)
		s.paths[f.path] = id
	}
	return okReply(f.wire())
}

// serveFile serves downloads at /file/bot<token>/<file_path>.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/file/bot")
	_, filePath, ok := strings.Cut(rest, "/")
	s.mu.Lock()
	var data []byte
	found := false
	if f := s.files[s.paths[filePath]]; ok && f != nil && f.hasData {
		data, found = f.data, true
	}
	s.mu.Unlock()
	if !found {
		writeReply(w, errReply(http.StatusNotFound, "Not Found"))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

func mimeType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		t, _, _ = strings.Cut(t, ";")
		return t
	}
	return "application/octet-stream"
}
