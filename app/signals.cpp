// The one signal handler of the program (signals.h). It touches only lock-free atomics, and
// remove_pending_outputs and _exit, which are async-signal-safe.
#include "app/signals.h"

#include <unistd.h>

#include <csignal>

#include "output/results_file.h"

namespace fourp::app {

namespace {

std::atomic<bool> g_cancel{false};
std::atomic<int> g_signal{0};
std::atomic<OnSignal> g_on_signal{OnSignal::cancel};
static_assert(std::atomic<OnSignal>::is_always_lock_free);

extern "C" void on_signal(int sig) {
  g_signal = sig;
  g_cancel = true;
  if (g_on_signal == OnSignal::leave) {
    remove_pending_outputs();
    _exit(128 + sig);
  }
}

}  // namespace

void catch_signals(OnSignal what) {
  g_on_signal = what;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

LeaveOnSignal::LeaveOnSignal() : before_(g_on_signal) {
  catch_signals(OnSignal::leave);
}

LeaveOnSignal::~LeaveOnSignal() {
  g_on_signal = before_;
}

std::atomic<bool>& cancel_flag() {
  return g_cancel;
}

bool cancelled() {
  return g_cancel;
}

int caught_signal() {
  return g_signal;
}

}  // namespace fourp::app
