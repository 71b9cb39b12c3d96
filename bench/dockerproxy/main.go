// A pass-through proxy to the Docker engine's unix socket that records when each request was sent, for
// bench/breakdown.py: one line per request on stdout, "<unix seconds> <method> <path>". Usage: dockerproxy LISTEN TARGET.
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"sync"
	"time"
)

var request = regexp.MustCompile(`(GET|POST|DELETE|PUT|HEAD) (/[^ ]*) HTTP/1\.[01]\r\n`)

func main() {
	listen, target := os.Args[1], os.Args[2]
	os.Remove(listen)
	server, err := net.Listen("unix", listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	record := func(data []byte) {
		t := float64(time.Now().UnixNano()) / 1e9
		for _, m := range request.FindAllSubmatch(data, -1) {
			mu.Lock()
			fmt.Fprintf(out, "%.6f %s %s\n", t, m[1], m[2])
			out.Flush()
			mu.Unlock()
		}
	}
	for {
		down, err := server.Accept()
		if err != nil {
			continue
		}
		up, err := net.Dial("unix", target)
		if err != nil {
			down.Close()
			continue
		}
		go func() {
			buf := make([]byte, 65536)
			for {
				n, err := down.Read(buf)
				if n > 0 {
					record(buf[:n])
					if _, werr := up.Write(buf[:n]); werr != nil {
						break
					}
				}
				if err != nil {
					break
				}
			}
			up.(*net.UnixConn).CloseWrite()
		}()
		go func() {
			io.Copy(down, up)
			down.Close()
			up.Close()
		}()
	}
}
