// libedit through its readline-compatible API, plus the few accessors Swift 6 needs:
// Swift refuses to touch C global variables directly ("not concurrency-safe"), so each one
// the line editor uses is read or written through a small inline function here.
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <editline/readline.h>

typedef char **(*descent_completion_fn)(const char *, int, int);

static inline void descent_set_completion(descent_completion_fn fn) {
    rl_attempted_completion_function = (rl_completion_func_t *)fn;
}
static inline void descent_set_completion_over(int over) { rl_attempted_completion_over = over; }
static inline void descent_set_append_character(int c) { rl_completion_append_character = c; }
static inline const char *descent_line_buffer(void) { return rl_line_buffer; }
// libedit keeps these pointers, and a Swift string passed in is only valid during the call:
// keep a copy (set once per process).
static inline void descent_set_word_break_characters(const char *chars) {
    rl_basic_word_break_characters = strdup(chars);
}
static inline void descent_set_readline_name(const char *name) { rl_readline_name = strdup(name); }

// Ctrl-C. A sigaction handler *without* SA_RESTART makes readline() return NULL with the flag
// set (glibc's signal() restarts the read, so Ctrl-C would never reach us). The flag lives in
// this header, so it must be installed and read from one Swift module only: the executable.
static volatile sig_atomic_t descent_interrupted = 0;
static inline void descent_on_sigint(int sig) { (void)sig; descent_interrupted = 1; }
static inline void descent_install_sigint(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = descent_on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    // A parent may have left these blocked (the mask is inherited across exec): Ctrl-C must
    // reach us, and closing the terminal or SIGTERM must end us (history is already saved,
    // line by line).
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}
static inline int descent_take_interrupt(void) {
    int was = descent_interrupted;
    descent_interrupted = 0;
    return was;
}
static inline int descent_peek_interrupt(void) { return descent_interrupted; }

// Swift 6 cannot name C's `stdout`; flush it from here (print() buffers on a pipe).
static inline void descent_flush_stdout(void) { fflush(stdout); }
