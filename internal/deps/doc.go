// Package deps holds the test that keeps the project's import direction (STYLE.md): the
// engine imports only the standard library and rickar/cal, the command set no chat SDK
// or database driver, the scheduler no chat SDK. It has no code of its own.
package deps
