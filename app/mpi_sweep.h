// Sweeps across the ranks of an MPI job (`mpirun -np K fourp sweep …`, `srun fourp sweep …`):
// rank 0 holds the task queue, the journal and the output; it hands out tasks one at a time to
// any rank that asks (dynamic load balancing) and runs tasks itself meanwhile; the other ranks
// run what they get with every thread they have and send the records back. Every run is a pure
// function of the plan and its number, so the file is the one a single process writes.
//
// Built when CMake finds MPI (FOURP_WITH_MPI); without it these report "not under MPI" and a
// program started by mpirun runs K independent copies — so the sweep command refuses that case.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sim/sweep_runner.h"

namespace fourp::app {

struct MpiWorld {
  bool active = false;  // launched by an MPI launcher with more than one rank, MPI initialised
  int rank = 0, size = 1;
};

// Initialises MPI when the environment says an MPI launcher started this process (Open MPI,
// PMIx, PMI: OMPI_COMM_WORLD_SIZE, PMIX_RANK, PMI_SIZE) and there is more than one rank.
MpiWorld mpi_begin();
void mpi_end();
// True when launched by an MPI launcher with several ranks although this build has no MPI.
bool mpi_launched_without_support();
// Rank 0's value on every rank (itself without MPI).
int mpi_share(int value);
// The largest of every rank's value, on every rank (itself without MPI).
int mpi_agree(int value);
// Every rank's values added element by element, on every rank (unchanged without MPI). For
// values that each rank fills in part of, the rest 0: x + 0 is x, NaN and −∞ included.
void mpi_sum(std::span<double> values);
// Ends the whole job at once (rank 0 after an unexpected error while other ranks wait).
[[noreturn]] void mpi_abort(int status);

// A command whose ranks share its work (calibrate, optimise): MPI begun on construction — a
// launch this build cannot serve refused with an InputError naming `command` — and ended when the
// object dies.
class MpiSession {
 public:
  explicit MpiSession(std::string_view command);
  ~MpiSession() { mpi_end(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  const MpiWorld world;
  bool lead() const { return world.rank == 0; }  // prints, journals and writes
};

// Runs `read` (reading and checking the input) on every rank. If any rank found bad input
// (`read` threw InputError), rank 0 throws its error and the other ranks get exit status 2, so
// the message is printed once and no rank goes on alone. Nothing when the input is good.
std::optional<int> read_on_every_rank(const MpiSession& mpi, const std::function<void()>& read);

// Rank 0: serves tasks from `queue` to the other ranks and runs tasks itself; every record, local
// or remote, goes to `sink` (on this thread or a local worker thread). Returns when every task is
// done and every rank has been told to stop, with the number of tasks each rank ran.
std::vector<uint64_t> mpi_coordinate(const SweepPlan& plan, TaskQueue& queue,
                                     const ExecOptions& options,
                                     const std::function<void(std::vector<RunRecord>)>& sink);

// Ranks other than 0: run the tasks rank 0 hands out until it says stop.
void mpi_work(const SweepPlan& plan, const ExecOptions& options);

}  // namespace fourp::app
