// A pass-through proxy to the Docker engine's unix socket that records when each request was sent and when its
// answer began, for bench/breakdown.py: one line per request on stdout, "<unix seconds> <method> <path>", and one
// per answer, "<unix seconds> ANSWER <status> <method> <path>"; on an attach's connection, once answered, each write
// of the client (to the container's stdin) is "<unix seconds> WRITE <method> <path>". Usage: dockerproxy LISTEN TARGET.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"regexp"
	"sync"
	"time"
)

var answer = regexp.MustCompile(`^HTTP/1\.[01] ([0-9]{3})`)

var attach = regexp.MustCompile(`^POST (/v[0-9.]+)?/containers/[^/]+/attach`)

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
	write := func(t float64, line string) {
		mu.Lock()
		fmt.Fprintf(out, "%.6f %s\n", t, line)
		out.Flush()
		mu.Unlock()
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
		// A connection's requests are answered in order (HTTP/1.1 without pipelining): each answer is the oldest's.
		var pendingMu sync.Mutex
		var pending []string
		attached := "" // the attach request whose answer made this connection the container's stream
		go func() {
			buf := make([]byte, 65536)
			for {
				n, err := down.Read(buf)
				if n > 0 {
					t := float64(time.Now().UnixNano()) / 1e9
					pendingMu.Lock()
					stream := attached
					pendingMu.Unlock()
					if stream != "" {
						write(t, "WRITE "+stream)
					} else {
						for _, m := range request.FindAllSubmatch(buf[:n], -1) {
							line := fmt.Sprintf("%s %s", m[1], m[2])
							pendingMu.Lock()
							pending = append(pending, line)
							pendingMu.Unlock()
							write(t, line)
						}
					}
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
			buf := make([]byte, 65536)
			for {
				n, err := up.Read(buf)
				if n > 0 {
					if m := answer.FindSubmatch(buf[:n]); m != nil {
						t := float64(time.Now().UnixNano()) / 1e9
						pendingMu.Lock()
						if len(pending) > 0 {
							write(t, fmt.Sprintf("ANSWER %s %s", m[1], pending[0]))
							if attach.MatchString(pending[0]) && (string(m[1]) == "101" || string(m[1]) == "200") {
								attached = pending[0]
							}
							pending = pending[1:]
						}
						pendingMu.Unlock()
					}
					if _, werr := down.Write(buf[:n]); werr != nil {
						break
					}
				}
				if err != nil {
					break
				}
			}
			down.Close()
			up.Close()
		}()
	}
}
