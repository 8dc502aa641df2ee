#include "app/mpi_sweep.h"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#ifdef FOURP_WITH_MPI
#include <mpi.h>

#include <chrono>
#include <mutex>
#include <thread>
#endif

namespace fourp::app {

namespace {

// The number of ranks an MPI launcher announced in the environment, or 0 when none did.
int launcher_size() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS"})
    if (const char* v = std::getenv(var); v && *v) return std::atoi(v);
  if (std::getenv("PMIX_RANK") || std::getenv("PMI_RANK")) return 2;  // size unknown: assume MPI
  return 0;
}

}  // namespace

bool mpi_launched_without_support() {
#ifdef FOURP_WITH_MPI
  return false;
#else
  return launcher_size() > 1;
#endif
}

#ifndef FOURP_WITH_MPI

MpiWorld mpi_begin() {
  return {};
}
void mpi_end() {}
int mpi_share(int value) {
  return value;
}
int mpi_agree(int value) {
  return value;
}
void mpi_sum(std::span<double>) {}
void mpi_abort(int status) {
  std::_Exit(status);
}
std::vector<uint64_t> mpi_coordinate(const SweepPlan&, TaskQueue&, const ExecOptions&,
                                     const std::function<void(std::vector<RunRecord>)>&) {
  throw std::logic_error("fourp was built without MPI");
}
void mpi_work(const SweepPlan&, const ExecOptions&) {
  throw std::logic_error("fourp was built without MPI");
}

#else

namespace {

enum Tag : int { kRequest = 1, kTask = 2, kStop = 3, kResult = 4 };

bool g_active = false;

// ---- messages: a task (number, arms) and the records of a task, as bytes

template <class T>
void put(std::vector<char>& b, const T& v) {
  const char* p = reinterpret_cast<const char*>(&v);
  b.insert(b.end(), p, p + sizeof v);
}
template <class T>
T take(const std::vector<char>& b, size_t& at) {
  if (at + sizeof(T) > b.size()) throw std::runtime_error("MPI message too short");
  T v;
  std::memcpy(&v, b.data() + at, sizeof v);
  at += sizeof v;
  return v;
}

std::vector<char> encode(const TaskQueue::Task& t) {
  std::vector<char> b;
  put(b, t.task);
  put(b, static_cast<uint32_t>(t.arms.size()));
  for (uint32_t a : t.arms) put(b, a);
  return b;
}
TaskQueue::Task decode_task(const std::vector<char>& b) {
  size_t at = 0;
  TaskQueue::Task t;
  t.task = take<uint64_t>(b, at);
  const uint32_t n = take<uint32_t>(b, at);
  for (uint32_t i = 0; i < n; ++i) t.arms.push_back(take<uint32_t>(b, at));
  return t;
}

std::vector<char> encode(const std::vector<RunRecord>& records) {
  std::vector<char> b;
  put(b, static_cast<uint32_t>(records.size()));
  for (const RunRecord& r : records) {
    put(b, r.run);
    put(b, static_cast<uint8_t>(r.ok));
    put(b, static_cast<uint32_t>(r.totals.size()));
    for (double x : r.totals) put(b, x);
    put(b, static_cast<uint32_t>(r.error.size()));
    b.insert(b.end(), r.error.begin(), r.error.end());
  }
  return b;
}
std::vector<RunRecord> decode_records(const std::vector<char>& b) {
  size_t at = 0;
  std::vector<RunRecord> out(take<uint32_t>(b, at));
  for (RunRecord& r : out) {
    r.run = take<uint64_t>(b, at);
    r.ok = take<uint8_t>(b, at) != 0;
    r.totals.resize(take<uint32_t>(b, at));
    for (double& x : r.totals) x = take<double>(b, at);
    const uint32_t n = take<uint32_t>(b, at);
    if (at + n > b.size()) throw std::runtime_error("MPI message too short");
    r.error.assign(b.data() + at, n);
    at += n;
  }
  return out;
}

std::vector<char> receive(const MPI_Status& st) {
  int count = 0;
  MPI_Get_count(&st, MPI_BYTE, &count);
  std::vector<char> b(static_cast<size_t>(count));
  MPI_Recv(b.data(), count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return b;
}

void send(const std::vector<char>& b, int dest, int tag) {
  MPI_Send(b.data(), static_cast<int>(b.size()), MPI_BYTE, dest, tag, MPI_COMM_WORLD);
}

}  // namespace

MpiWorld mpi_begin() {
  MpiWorld w;
  if (launcher_size() <= 1) return w;
  // Worker threads call MPI one at a time (a mutex serialises them): THREAD_SERIALIZED.
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  g_active = true;
  if (provided < MPI_THREAD_SERIALIZED) {
    std::fprintf(stderr,
                 "fourp: error: the MPI library does not allow calls from several "
                 "threads (MPI_THREAD_SERIALIZED)\n");
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &w.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &w.size);
  w.active = w.size > 1;
  return w;
}

void mpi_end() {
  if (g_active) MPI_Finalize();
  g_active = false;
}

int mpi_share(int value) {
  if (!g_active) return value;
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

int mpi_agree(int value) {
  if (!g_active) return value;
  int out = value;
  MPI_Allreduce(&value, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

void mpi_sum(std::span<double> values) {
  if (!g_active || values.empty()) return;
  MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM,
                MPI_COMM_WORLD);
}

void mpi_abort(int status) {
  if (g_active) MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);
}

std::vector<uint64_t> mpi_coordinate(const SweepPlan& plan, TaskQueue& queue,
                                     const ExecOptions& options,
                                     const std::function<void(std::vector<RunRecord>)>& sink) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::vector<uint64_t> tasks(static_cast<size_t>(size), 0);
  std::atomic<uint64_t> local_tasks{0};
  const std::atomic<bool>* cancel = options.hooks.cancel;
  // Rank 0 computes too; only this thread calls MPI.
  std::exception_ptr local_error;
  std::thread local([&] {
    try {
      const TaskSource next = [&] {
        auto t = queue.next();
        if (t) ++local_tasks;
        return t;
      };
      run_tasks(plan, next, options, sink);
    } catch (...) {
      local_error = std::current_exception();
    }
  });

  int working = size - 1;    // ranks not yet told to stop
  uint64_t outstanding = 0;  // tasks handed out whose records have not come back
  auto idle = std::chrono::microseconds(50);
  while (working > 0 || outstanding > 0) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag) {
      // Poll gently: a blocking receive would spin a core that the local runs need.
      std::this_thread::sleep_for(idle);
      idle = std::min(idle * 2, std::chrono::microseconds(2000));
      continue;
    }
    idle = std::chrono::microseconds(50);
    const std::vector<char> message = receive(st);
    if (st.MPI_TAG == kRequest) {
      std::optional<TaskQueue::Task> t;
      if (!(cancel && cancel->load())) t = queue.next();
      if (t) {
        send(encode(*t), st.MPI_SOURCE, kTask);
        ++outstanding;
        ++tasks[static_cast<size_t>(st.MPI_SOURCE)];
      } else {
        send({}, st.MPI_SOURCE, kStop);
        --working;
      }
    } else if (st.MPI_TAG == kResult) {
      sink(decode_records(message));
      --outstanding;
    }
  }
  local.join();
  if (local_error) std::rethrow_exception(local_error);
  tasks[0] = local_tasks;
  return tasks;
}

void mpi_work(const SweepPlan& plan, const ExecOptions& options) {
  std::mutex mpi;  // serialises this rank's MPI calls (MPI_THREAD_SERIALIZED)
  bool stopped = false;
  const TaskSource next = [&]() -> std::optional<TaskQueue::Task> {
    std::lock_guard lock(mpi);
    if (stopped) return std::nullopt;
    MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequest, MPI_COMM_WORLD);
    MPI_Status st;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    const std::vector<char> message = receive(st);
    if (st.MPI_TAG == kStop) {
      stopped = true;
      return std::nullopt;
    }
    return decode_task(message);
  };
  const auto sink = [&](std::vector<RunRecord> records) {
    const std::vector<char> b = encode(records);
    std::lock_guard lock(mpi);
    send(b, 0, kResult);
  };
  // Returns once every thread of this rank has been told "stop" (rank 0 counts one per rank).
  run_tasks(plan, next, options, sink);
}

#endif

MpiSession::MpiSession(std::string_view command)
    : world([&] {
        if (mpi_launched_without_support())
          throw InputError(fmt::format(
              "fourp: error: started by an MPI launcher, but this fourp was built without MPI "
              "(every rank would run the whole {}); rebuild with OpenMPI installed\n",
              command));
        return mpi_begin();
      }()) {}

std::optional<int> read_on_every_rank(const MpiSession& mpi, const std::function<void()>& read) {
  std::string problem;
  try {
    read();
  } catch (const InputError& e) {
    problem = e.what();
  }
  if (mpi_agree(problem.empty() ? 0 : 2) == 0) return std::nullopt;
  if (mpi.lead() && !problem.empty()) throw InputError(problem);
  return 2;
}

}  // namespace fourp::app
