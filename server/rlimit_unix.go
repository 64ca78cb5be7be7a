//go:build unix

package server

import "syscall"

// openFiles is the process's soft limit of open files (Go raises it to the hard limit
// at start-up), 0 when unknown.
func openFiles() int {
	var r syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r) != nil || r.Cur > 1<<30 {
		return 0
	}
	return int(r.Cur)
}
