/* interrupt.c - Ctrl-C (SIGINT), SIGTERM and SIGHUP without litter.  A
 * run's files are written under temporary names and renamed into place
 * (staged.c, and the library's atomic writes); a stop in the middle used
 * to leave those hidden files behind, megabytes of them for a 4K cloud.
 * Now the signals are blocked in every thread and taken by one of its own
 * (sigwait): outside writing it stops the program at once, as the default
 * would; while any thread is writing a run's files (cli_writing_begin ..
 * _end) the stop waits for the last writer to finish, so each file is
 * either in place or removed.  A signal ignored when the program started
 * (nohup, a background job) stays ignored. */
#include "cli.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <unistd.h>

static const int STOPS[] = {SIGINT, SIGTERM, SIGHUP};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int writers;   /* threads writing a run's files */
static int pending;   /* the signal that came while they were */
static sigset_t taken; /* the signals the catcher takes */

/* Ends the program as the signal would have: its default action, from
 * this thread, where it is unblocked. */
static void stop_by(int sig)
{
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig); /* not reached */
}

static void *catcher(void *arg)
{
    (void)arg;
    for (;;) {
        int sig;
        if (sigwait(&taken, &sig) != 0) {
            continue;
        }
        pthread_mutex_lock(&mu);
        if (writers == 0) {
            stop_by(sig);
        }
        pending = sig;
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

void cli_interrupts_start(void)
{
    sigemptyset(&taken);
    for (size_t i = 0; i < sizeof STOPS / sizeof STOPS[0]; i++) {
        struct sigaction old;
        if (sigaction(STOPS[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN) {
            sigaddset(&taken, STOPS[i]);
        }
    }
    /* Blocked before any other thread starts, so every thread inherits it. */
    sigset_t before;
    if (pthread_sigmask(SIG_BLOCK, &taken, &before) != 0) {
        return;
    }
    pthread_t t;
    pthread_attr_t attr;
    bool started = pthread_attr_init(&attr) == 0 &&
                   pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
                   pthread_create(&t, &attr, catcher, NULL) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
        pthread_sigmask(SIG_SETMASK, &before, NULL); /* the default, then */
    }
}

void cli_writing_begin(void)
{
    pthread_mutex_lock(&mu);
    if (pending) {
        /* Stopping: write nothing more; the last writer ends the program. */
        pthread_mutex_unlock(&mu);
        for (;;) {
            pause();
        }
    }
    writers++;
    pthread_mutex_unlock(&mu);
}

void cli_writing_end(void)
{
    pthread_mutex_lock(&mu);
    int sig = --writers == 0 ? pending : 0;
    pthread_mutex_unlock(&mu);
    if (sig) {
        stop_by(sig);
    }
}
