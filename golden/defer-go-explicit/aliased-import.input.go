package cleanup

import (
	"bytes"
	gosync "sync"
)

var buffers = gosync.Pool{New: func() any { return new(bytes.Buffer) }}

func Render(data []byte) string {
	buf := buffers.Get().(*bytes.Buffer)
	defer func() {
		buf.Reset()
		go buffers.Put(buf)
	}()
	buf.Write(data)
	return buf.String()
}
