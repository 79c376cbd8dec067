package zalo

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// Download fetches a file a user sent (the URL of a user_send_file or
// user_send_image event), at most max bytes. The URL came in a signed
// event; only http(s) URLs are fetched, without the access token.
func (c *Channel) Download(ctx context.Context, fileRef string, max int64) ([]byte, error) {
	if !isURL(fileRef) {
		return nil, fmt.Errorf("zalo download: not a file URL")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fileRef, nil)
	if err != nil {
		return nil, fmt.Errorf("zalo download: %v", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("zalo download: %s", transportError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("zalo download: HTTP %d", resp.StatusCode)
	}
	if max > 0 && resp.ContentLength > max {
		return nil, fmt.Errorf("zalo download: %d bytes, over %d", resp.ContentLength, max)
	}
	r := io.Reader(resp.Body)
	if max > 0 {
		r = io.LimitReader(resp.Body, max+1)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("zalo download: %s", transportError(err))
	}
	if max > 0 && int64(len(data)) > max {
		return nil, fmt.Errorf("zalo download: over %d bytes", max)
	}
	return data, nil
}
