// The journal's writer thread (journal_writer.h): batches of records written, then one sync.
#include "output/journal_writer.h"

namespace fourp {

JournalWriter::JournalWriter(SweepJournal& journal,
                             std::function<void(const RunRecord&)> on_durable,
                             std::atomic<bool>* cancel)
    : journal_(journal),
      on_durable_(std::move(on_durable)),
      cancel_(cancel),
      thread_([this] { loop(); }) {}

JournalWriter::~JournalWriter() {
  try {
    finish();
  } catch (...) {
    // Reported by finish() when the caller calls it; a destructor must not throw.
  }
}

void JournalWriter::push(RunRecord record) {
  {
    std::lock_guard lock(mutex_);
    if (error_ || stop_) return;
    queue_.push_back(std::move(record));
  }
  cv_.notify_one();
}

void JournalWriter::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stop_ and nothing left
    std::deque<RunRecord> batch;
    batch.swap(queue_);
    lock.unlock();
    try {
      for (const RunRecord& r : batch) journal_.write(r);
      journal_.sync();  // one sync for the whole batch (group commit)
      if (on_durable_)
        for (const RunRecord& r : batch) on_durable_(r);
    } catch (...) {
      lock.lock();
      error_ = std::current_exception();
      queue_.clear();
      if (cancel_) cancel_->store(true);
      break;
    }
    lock.lock();
  }
}

void JournalWriter::finish() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (error_) {
    std::exception_ptr e = error_;
    error_ = nullptr;
    std::rethrow_exception(e);
  }
}

}  // namespace fourp
