// Command ferretdb-embedded runs FerretDB v1 with its SQLite backend on a
// loopback address, for the bot's local default and its tests.
//
// It embeds github.com/FerretDB/FerretDB/ferretdb instead of installing
// cmd/ferretdb, because `go install .../cmd/ferretdb@v1.24.2` panics on a
// missing generated version file (FerretDB issue 2982).
//
// Once the listener is up it prints one line, `READY <mongodb uri>`, on
// stdout. It stops when it receives SIGINT/SIGTERM or when its standard input
// closes, so a parent that dies (even by SIGKILL) never leaves it running.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dir := flag.String("dir", ".data/ferretdb", "directory for the SQLite database files")
	watchStdin := flag.Bool("watch-stdin", true, "stop when standard input is closed")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	if err := run(*listen, *dir, *watchStdin, *logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, dir string, watchStdin bool, logLevel string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("resolve data directory: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + string(filepath.Separator),
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin))
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	go lookupIndexSweep(ctx, abs, time.Second, logger)

	fmt.Printf("READY %s\n", f.MongoDBURI())

	return <-done
}
