// Ctrl-C (SIGINT) and kill (SIGTERM) for every command, through one handler. What a signal does
// depends on what the command is doing:
//   OnSignal::cancel  sets the cancel flag that runs check at every step and remembers the
//                     signal: the command stops taking work, keeps what is finished, and exits
//                     128 + signal (`fourp run`, `fourp sweep` while running)
//   OnSignal::leave   removes the temporary file of the output being written (results_file.h
//                     remove_pending_outputs) and exits 128 + signal at once, so no partial
//                     file is ever left (while writing; `fourp sweep` under MPI, whose ranks
//                     wait on each other)
//
//   catch_signals(OnSignal::cancel);
//   run_scenario(s, {.cancel = &cancel_flag()});
//   {
//     LeaveOnSignal writing;
//     if (cancelled()) return 128 + caught_signal();
//     write_results(...);
//   }
#pragma once

#include <atomic>

namespace fourp::app {

enum class OnSignal { cancel, leave };

// Installs the handler for SIGINT and SIGTERM (again: harmless) and sets what it does.
void catch_signals(OnSignal what);

// While it lives, signals are caught with OnSignal::leave (an output is being written); then
// they do what they did before.
class LeaveOnSignal {
 public:
  LeaveOnSignal();
  ~LeaveOnSignal();
  LeaveOnSignal(const LeaveOnSignal&) = delete;
  LeaveOnSignal& operator=(const LeaveOnSignal&) = delete;

 private:
  OnSignal before_;
};

std::atomic<bool>& cancel_flag();  // set by a signal (and by a journal that cannot be written)
bool cancelled();                  // cancel_flag() is set
int caught_signal();               // the signal that cancelled, or 0

}  // namespace fourp::app
