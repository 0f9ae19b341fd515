/*
 * synscope-capture: the one file of SynScope that holds capture privileges, as dumpcap does
 * for Wireshark. The deb's postinst (after-install.sh) gives it cap_net_raw,cap_net_admin=eip
 * and lets only root and the 'synscope' group run it. It raises those two capabilities as
 * ambient capabilities and executes the app's own binary as Node (ELECTRON_RUN_AS_NODE=1) on
 * the capture helper script installed beside it, with a fixed minimal environment: the caller
 * chooses neither the program, the script nor the environment (no NODE_OPTIONS, no
 * LD_PRELOAD), so the privilege reaches the capture helper and nothing else. Its arguments are
 * the helper's (a JSON capture request, or --interfaces).
 *
 * Without the capabilities (not installed by the deb, or the filesystem dropped them) it still
 * runs the helper, which then reports the permission error with the fix.
 *
 * Build: cc -O2 -Wall -Wextra -o synscope-capture synscope-capture.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#endif

/* The app's executable (electron-builder's executableName) and the helper, relative to us. */
#ifndef APP_BINARY
#define APP_BINARY "synscope"
#endif
#define HELPER_SCRIPT "resources/app.asar.unpacked/dist/capture-helper.mjs"

static const int CAPS[] = { CAP_NET_RAW, CAP_NET_ADMIN };

/* Ambient capabilities survive execve of an ordinary binary; each must first be permitted
 * (our file capabilities) and inheritable (which we may add from permitted ourselves). */
static int raise_ambient(void) {
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
  if (syscall(SYS_capget, &header, data) != 0) return -1;
  for (size_t i = 0; i < sizeof CAPS / sizeof CAPS[0]; i++) {
    if (!(data[0].permitted & (1u << CAPS[i]))) {
      errno = EPERM;
      return -1;
    }
    data[0].inheritable |= 1u << CAPS[i];
  }
  if (syscall(SYS_capset, &header, data) != 0) return -1;
  for (size_t i = 0; i < sizeof CAPS / sizeof CAPS[0]; i++) {
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAPS[i], 0, 0) != 0) return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    perror("synscope-capture: /proc/self/exe");
    return 127;
  }
  self[n] = '\0';
  char *slash = strrchr(self, '/');
  if (slash == NULL) return 127;
  *slash = '\0';

  char app[PATH_MAX], script[PATH_MAX];
  if (snprintf(app, sizeof app, "%s/%s", self, APP_BINARY) >= (int)sizeof app ||
      snprintf(script, sizeof script, "%s/%s", self, HELPER_SCRIPT) >= (int)sizeof script) {
    fputs("synscope-capture: install path too long\n", stderr);
    return 127;
  }

  if (raise_ambient() != 0 && errno != EPERM) perror("synscope-capture: cannot raise capture capabilities");

  char **args = calloc((size_t)argc + 2, sizeof *args);
  if (args == NULL) return 127;
  args[0] = app;
  args[1] = script;
  for (int i = 1; i < argc; i++) args[i + 1] = argv[i];
  char *env[] = { "ELECTRON_RUN_AS_NODE=1", "PATH=/usr/bin:/bin", "LANG=C.UTF-8", NULL };
  execve(app, args, env);
  fprintf(stderr, "synscope-capture: cannot run %s: %s\n", app, strerror(errno));
  return 127;
}
