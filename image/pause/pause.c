/* k3sc's pod-sandbox ("pause") process, so containerd needs no registry for its sandbox
 * image: it waits as PID 1, reaps orphans, and exits cleanly on SIGINT/SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int sig) { (void)sig; _exit(0); }
static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "-v") == 0) {
    puts("k3sc-pause");
    return 0;
  }
  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_handler = on_stop;
  sigaction(SIGINT, &act, NULL);
  sigaction(SIGTERM, &act, NULL);
  act.sa_handler = on_child;
  act.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &act, NULL);
  for (;;) pause();
}
