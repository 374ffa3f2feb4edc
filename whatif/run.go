package whatif

import (
	"fmt"
	"io"
	"runtime"
	"sync"
)

// Options tune Run.
type Options struct {
	// Workers replay orders in parallel; 0: runtime.GOMAXPROCS(0). The
	// report is the same for any number: results are added in input order.
	Workers int
	// Progress, if set, is called with the number of orders done, every
	// Every orders (default 100,000), from Run's goroutine.
	Progress func(done int64)
	Every    int64
	// Before and After name the sides in the report.
	Before, After string
}

const batchSize = 256

type batch struct {
	seq   int
	lines [][]byte
	first int // the line number of lines[0]
	res   []*Result
	err   error
}

// Run replays every record r reads and returns the report. It reads as
// it goes: a few batches of lines per worker are in memory at a time.
func (c *Comparer) Run(r *Reader, opt Options) (*Report, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	every := opt.Every
	if every <= 0 {
		every = 100_000
	}
	rep := NewReport(opt.Before, opt.After)
	jobs := make(chan *batch, workers*2)
	done := make(chan *batch, workers*2)
	stop := make(chan struct{})
	var readErr error
	var wg sync.WaitGroup
	go func() { // the reader
		defer close(jobs)
		for seq := 0; ; seq++ {
			b := &batch{seq: seq}
			for len(b.lines) < batchSize {
				line, err := r.NextLine()
				if err == io.EOF {
					break
				}
				if err != nil {
					readErr = err
					break
				}
				if len(b.lines) == 0 {
					b.first = r.Line()
				}
				b.lines = append(b.lines, append([]byte(nil), line...))
			}
			if len(b.lines) == 0 {
				return
			}
			last := len(b.lines) < batchSize // read before the batch is handed on
			select {
			case jobs <- b:
			case <-stop:
				return
			}
			if last {
				return
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				b.res = make([]*Result, 0, len(b.lines))
				for i, line := range b.lines {
					rec, err := ParseRecord(line)
					var res *Result
					if err == nil {
						res, err = c.Replay(&rec)
					}
					if err != nil {
						b.err = fmt.Errorf("line %d: %w", b.first+i, err)
						break
					}
					b.res = append(b.res, res)
				}
				b.lines = nil
				done <- b
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	pending := map[int]*batch{}
	next := 0
	var firstErr error
	for b := range done {
		pending[b.seq] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if firstErr != nil {
				continue
			}
			for _, res := range b.res {
				rep.Add(res, c.rules)
				if opt.Progress != nil && rep.Orders%every == 0 {
					opt.Progress(rep.Orders)
				}
			}
			if b.err != nil {
				firstErr = b.err
				close(stop)
			}
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if readErr != nil {
		return nil, readErr
	}
	return rep.Finish(), nil
}
