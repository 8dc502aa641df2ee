// A progress bar for long work, on standard error when it is a terminal:
//   [##########..........]  12/40 runs   3.2 runs/s   1:02 left
// Silent when standard error is not a terminal or when quiet. Updates come from any thread and
// are throttled to a few redraws a second.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace fourp::app {

class ProgressBar {
 public:
  // `unit`: what is counted ("runs"); `scale`: ticks per unit (e.g. steps per run).
  ProgressBar(std::string unit, size_t scale, bool quiet);
  ~ProgressBar();
  void update(size_t done_ticks, size_t total_ticks);
  void finish();  // clears the bar

 private:
  void draw(size_t done, size_t total);
  std::string unit_;
  size_t scale_;
  bool enabled_;
  bool drawn_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace fourp::app
