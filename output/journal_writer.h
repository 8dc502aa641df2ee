// Writing a sweep's journal (sweep_journal.h) on a thread of its own, so that runs never wait for
// the disk: records pushed from any thread are written and synced in batches (group commit: one
// fdatasync for all records that arrived meanwhile).
//
//   JournalWriter w(journal, [&](const RunRecord& r) { bar.update(++done, to_run); }, &cancel);
//   run_tasks(plan, next, {}, [&](std::vector<RunRecord> rs) { for (auto& r : rs) w.push(r); });
//   w.finish();  // everything pushed is durable, or the write error is thrown
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "output/sweep_journal.h"
#include "sim/sweep_runner.h"

namespace fourp {

// `on_durable` is called (on the writer's thread) for each record once synced. A write error
// stops the writer, sets `cancel` (if given) and is rethrown by finish().
class JournalWriter {
 public:
  explicit JournalWriter(SweepJournal& journal,
                         std::function<void(const RunRecord&)> on_durable = {},
                         std::atomic<bool>* cancel = nullptr);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  void push(RunRecord record);
  void finish();  // everything pushed is written and synced; then the thread ends

 private:
  void loop();
  SweepJournal& journal_;
  std::function<void(const RunRecord&)> on_durable_;
  std::atomic<bool>* cancel_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<RunRecord> queue_;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace fourp
