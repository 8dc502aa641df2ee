#include "app/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace fourp::app {

ProgressBar::ProgressBar(std::string unit, size_t scale, bool quiet)
    : unit_(std::move(unit)),
      scale_(scale ? scale : 1),
      enabled_(!quiet && isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(size_t done, size_t total) {
  if (!enabled_) return;
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock) return;  // another thread is drawing; this update is not needed
  auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  draw(done, total);
}

void ProgressBar::draw(size_t done, size_t total) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double frac = total ? static_cast<double>(done) / total : 1.0;
  const int width = 24, filled = static_cast<int>(frac * width);
  const double units_done = static_cast<double>(done) / scale_;
  const double rate = elapsed > 0 ? units_done / elapsed : 0;
  std::string left = "";
  if (done > 0 && done < total) {
    const int secs = static_cast<int>(elapsed * (static_cast<double>(total) / done - 1.0));
    left = fmt::format("  {}:{:02} left", secs / 60, secs % 60);
  }
  fmt::print(stderr, "\r[{}{}] {:>6.1f}/{} {}  {:.2f} {}/s{}\x1b[K", std::string(filled, '#'),
             std::string(width - filled, '.'), units_done, total / scale_, unit_, rate, unit_,
             left);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!enabled_ || !drawn_) return;
  std::lock_guard lock(mutex_);
  fmt::print(stderr, "\r\x1b[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace fourp::app
