// Merging shard files (sweep_merge.h): their runs into a temporary journal, from which the sweep
// file is written as a single run writes it.
#include "output/sweep_merge.h"

#include <algorithm>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "output/h5.h"
#include "output/h5_table_stream.h"
#include "output/results_file.h"
#include "output/sweep_journal.h"
#include "output/sweep_reader.h"
#include "output/sweep_writer.h"
#include "sim/diagnostics.h"
#include "sim/sweep_runner.h"

namespace fourp {

namespace fs = std::filesystem;

void merge_shard_files(const std::vector<fs::path>& inputs, const fs::path& out, bool overwrite,
                       const OutputDeclarations& outputs,
                       const std::vector<UncertainParameter>& drawn) {
  if (inputs.empty()) throw InputError("fourp merge: error: no shard files given\n");
  check_output_path(out, overwrite);
  std::vector<SweepFileInfo> infos;
  for (const fs::path& p : inputs) infos.push_back(read_sweep_info(p));
  const SweepFileInfo& first = infos.front();
  std::map<uint32_t, fs::path> have;
  for (size_t i = 0; i < infos.size(); ++i) {
    const SweepFileInfo& x = infos[i];
    if (x.layout.hash != first.layout.hash)
      throw InputError(fmt::format(
          "{}: error: a shard of a different sweep (hash {}; {} has {}): shards must come from "
          "the same sweep file, scenario and fourp version\n",
          inputs[i].string(), x.layout.hash_hex(), inputs[0].string(), first.layout.hash_hex()));
    if (x.shards != first.shards)
      throw InputError(fmt::format("{}: error: shard {}/{}, but {} is shard {}/{}\n",
                                   inputs[i].string(), x.shard, x.shards, inputs[0].string(),
                                   first.shard, first.shards));
    auto [it, fresh] = have.emplace(x.shard, inputs[i]);
    if (!fresh)
      throw InputError(fmt::format("{}: error: shard {}/{} is given twice (also {})\n",
                                   inputs[i].string(), x.shard, x.shards, it->second.string()));
  }
  std::vector<std::string> missing;
  for (uint32_t s = 0; s < first.shards; ++s)
    if (!have.count(s)) missing.push_back(fmt::format("{}/{}", s, first.shards));
  if (!missing.empty())
    throw InputError(
        fmt::format("fourp merge: error: missing shard{} {} of {} (the sweep has {} "
                    "shards; run them with --shard I/{})\n",
                    missing.size() > 1 ? "s" : "", fmt::join(missing, ", "), first.layout.name,
                    first.shards, first.shards));

  // The shards' runs go into a temporary journal next to the output, from which the sweep file
  // is written exactly as a single run writes it.
  SweepLayout L = first.layout;
  L.outputs = outputs;
  L.drawn = drawn;
  std::vector<std::string> drawn_paths;
  for (const UncertainParameter& u : drawn) drawn_paths.push_back(u.path);
  if (drawn_paths != first.drawn_parameters)  // the same sweep (hash), so a caller's slip
    throw InputError(fmt::format("{}: error: its runs drew [{}], but the merge was given [{}]\n",
                                 inputs[0].string(), fmt::join(first.drawn_parameters, ", "),
                                 fmt::join(drawn_paths, ", ")));
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const fs::path temp = dir / fmt::format(".{}.merge-journal", out.filename().string());
  std::error_code ec;
  fs::remove(temp, ec);
  SweepJournal journal = SweepJournal::create(temp, L, 0, 1);
  struct Remove {
    SweepJournal& j;
    ~Remove() { j.remove(); }
  } remove_temp{journal};

  for (size_t i = 0; i < inputs.size(); ++i) {
    const SweepFileInfo& x = infos[i];
    try {
      h5::File f = h5::File::open(inputs[i]);
      H5RowReader rows(f, "runs");
      const auto [run_off, run_size] = rows.field("run");
      const auto [ok_off, ok_size] = rows.field("ok");
      const auto [err_off, err_size] = rows.field("error");
      std::vector<size_t> total_off;
      for (const auto& t : L.totals) total_off.push_back(rows.field(t).first);
      if (rows.rows() != x.runs)
        throw not_a_sweep_file(inputs[i], fmt::format("{} runs in the table, {} in the attributes",
                                                      rows.rows(), x.runs));
      constexpr uint64_t kBlock = 4096;
      for (uint64_t start = 0; start < rows.rows(); start += kBlock) {
        const uint64_t n = std::min(kBlock, rows.rows() - start);
        rows.read(start, n);
        for (uint64_t k = 0; k < n; ++k) {
          const unsigned char* row = rows.row(k);
          RunRecord r;
          std::memcpy(&r.run, row + run_off, 8);
          r.ok = row[ok_off] != 0;
          const char* e = reinterpret_cast<const char*>(row + err_off);
          r.error.assign(e, strnlen(e, err_size));
          if (r.ok) {
            r.totals.resize(L.totals.size());
            for (size_t t = 0; t < total_off.size(); ++t)
              std::memcpy(&r.totals[t], row + total_off[t], 8);
          }
          if (r.run >= L.runs() || !in_shard(r.run / L.arms.size(), x.shard, x.shards))
            throw not_a_sweep_file(inputs[i], fmt::format("run {} does not belong to shard {}/{}",
                                                          r.run, x.shard, x.shards));
          journal.write(r);
        }
      }
      (void)run_size, (void)ok_size;
    } catch (const h5::Error& e) {
      throw not_a_sweep_file(inputs[i], fmt::format("cannot read its runs: {}", e.what()));
    }
  }
  const std::vector<RunStatus> status = journal.scan();
  const uint64_t absent =
      static_cast<uint64_t>(std::count(status.begin(), status.end(), RunStatus::not_recorded));
  if (absent > 0)
    throw InputError(fmt::format("fourp merge: error: the shards lack {} of the sweep's {} runs\n",
                                 absent, L.runs()));
  write_sweep_file(L, journal, summarise_journal(L, journal), out, overwrite);
}

}  // namespace fourp
