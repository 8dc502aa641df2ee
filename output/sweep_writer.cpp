// The sweep and shard files' writer (sweep_writer.h): attributes, /samples, /runs streamed from
// the journal, /summary, /noise, /sobol and /morris from the summary it is given.
#include "output/sweep_writer.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "output/h5.h"
#include "output/h5_table_stream.h"
#include "output/results_file.h"
#include "output/sweep_file.h"
#include "output/timestamp.h"
#include "sim/designs.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string matrix_name(const SweepLayout& L, uint32_t sample) {
  const size_t d = L.parameters.size(), m = saltelli_matrix(sample, d);
  if (m == 0) return "A";
  if (m == d + 1) return "B";
  return "AB:" + L.parameters[m - 1];
}

void write_samples(const h5::Handle& f, const SweepLayout& L) {
  const uint32_t S = L.sample_count();
  h5::Table t;
  h5::Field sample{"sample", h5::Type::u32, {}, {}}, seed{"seed", h5::Type::u32, {}, {}};
  for (uint32_t j = 0; j < S; ++j) {
    sample.numbers.push_back(j);
    seed.numbers.push_back(L.seed_of(j));
  }
  t.fields.push_back(std::move(sample));
  t.fields.push_back(std::move(seed));
  for (size_t i = 0; i < L.parameters.size(); ++i) {
    h5::Field p{L.parameters[i], h5::Type::f64, {}, {}};
    for (uint32_t j = 0; j < S; ++j) p.numbers.push_back(L.value(j, i));
    t.fields.push_back(std::move(p));
  }
  if (L.sobol_base > 0) {
    const size_t d = L.parameters.size();
    h5::Field point{"sobol_point", h5::Type::u32, {}, {}};
    h5::Field matrix{"sobol_matrix", h5::Type::string, {}, {}};
    for (uint32_t j = 0; j < S; ++j) {
      point.numbers.push_back(static_cast<double>(j / (d + 2)));
      matrix.strings.push_back(matrix_name(L, j));
    }
    t.fields.push_back(std::move(point));
    t.fields.push_back(std::move(matrix));
  }
  h5::write_table(f, "samples", t, h5::Compress::yes);
}

std::vector<std::string> drawn_names(const SweepLayout& L) {
  std::vector<std::string> out;
  for (const UncertainParameter& u : L.drawn) out.push_back(u.path);
  return out;
}

// One word per arm, one character per parameter: '1' when the arm reads it, '0' when not.
std::vector<std::string> arm_reads_words(const SweepLayout& L) {
  std::vector<std::string> out;
  for (size_t a = 0; a < L.arms.size(); ++a) {
    std::string w;
    for (size_t i = 0; i < L.parameters.size(); ++i) w += L.arm_reads(a, i) ? '1' : '0';
    out.push_back(w);
  }
  return out;
}

// The tables of a summary's per-(arm, metric, parameter) results: arm, metric, parameter, read,
// then the columns `columns` returns for each result, in order.
template <class Result, class Columns>
void write_parameter_table(const h5::Handle& f, const char* name, const SweepLayout& L,
                           const std::vector<Result>& results,
                           const std::vector<std::pair<std::string, h5::Type>>& columns,
                           Columns values) {
  const size_t A = L.arms.size(), M = L.metrics.size(), P = L.parameters.size();
  std::vector<h5::Field> fields = {{"arm", h5::Type::string, {}, {}},
                                   {"metric", h5::Type::string, {}, {}},
                                   {"parameter", h5::Type::string, {}, {}},
                                   {"read", h5::Type::u8, {}, {}}};
  for (const auto& [col, type] : columns) fields.push_back({col, type, {}, {}});
  for (size_t a = 0; a < A; ++a)
    for (size_t m = 0; m < M; ++m)
      for (size_t i = 0; i < P; ++i) {
        const Result& x = results[(a * M + m) * P + i];
        fields[0].strings.push_back(L.arms[a]);
        fields[1].strings.push_back(L.metrics[m]);
        fields[2].strings.push_back(L.parameters[i]);
        fields[3].numbers.push_back(x.read ? 1 : 0);
        values(x, fields.data() + 4);
      }
  h5::Table t;
  t.fields = std::move(fields);
  h5::write_table(f, name, t, h5::Compress::yes);
}

void write_sobol(const h5::Handle& f, const SweepLayout& L, const SweepSummary& s) {
  using h5::Type;
  const std::vector<std::pair<std::string, Type>> columns = {{"estimator", Type::string},
                                                             {"first", Type::f64},
                                                             {"first_low", Type::f64},
                                                             {"first_high", Type::f64},
                                                             {"total", Type::f64},
                                                             {"total_low", Type::f64},
                                                             {"total_high", Type::f64},
                                                             {"first_half", Type::f64},
                                                             {"first_quarter", Type::f64},
                                                             {"total_half", Type::f64},
                                                             {"total_quarter", Type::f64},
                                                             {"first_plain", Type::f64},
                                                             {"total_plain", Type::f64},
                                                             {"first_determined", Type::u8},
                                                             {"total_determined", Type::u8},
                                                             {"needed_base_samples", Type::u64},
                                                             {"needed_replicates", Type::u32}};
  write_parameter_table(f, "sobol", L, s.sobol, columns, [](const SobolResult& x, h5::Field* c) {
    c[0].strings.push_back(!x.read ? "not_read" : x.of_mean ? "mean_response" : "sample_means");
    const SobolIndex& i = x.index;
    const double v[] = {
        i.first,
        i.first_low,
        i.first_high,
        i.total,
        i.total_low,
        i.total_high,
        x.first.half,
        x.first.quarter,
        x.total.half,
        x.total.quarter,
        x.first_plain,
        x.total_plain,
        x.first.determined ? 1.0 : 0.0,
        x.total.determined ? 1.0 : 0.0,
        static_cast<double>(std::max(x.first.needed_base, x.total.needed_base)),
        static_cast<double>(std::max(x.first.needed_replicates, x.total.needed_replicates))};
    for (size_t k = 0; k < std::size(v); ++k) c[1 + k].numbers.push_back(v[k]);
  });
}

void write_morris(const h5::Handle& f, const SweepLayout& L, const SweepSummary& s) {
  using h5::Type;
  const std::vector<std::pair<std::string, Type>> columns = {
      {"mu_star", Type::f64}, {"mu_star_low", Type::f64}, {"mu_star_high", Type::f64},
      {"mu", Type::f64},      {"mu_low", Type::f64},      {"mu_high", Type::f64},
      {"sigma", Type::f64},   {"sigma_low", Type::f64},   {"sigma_high", Type::f64}};
  write_parameter_table(f, "morris", L, s.morris, columns, [](const MorrisResult& x, h5::Field* c) {
    const MorrisEffect& e = x.effect;
    const double v[] = {e.mu_star, e.mu_star_low, e.mu_star_high, e.mu,        e.mu_low,
                        e.mu_high, e.sigma,       e.sigma_low,    e.sigma_high};
    for (size_t k = 0; k < std::size(v); ++k) c[k].numbers.push_back(v[k]);
  });
}

void write_noise(const h5::Handle& f, const SweepLayout& L, const SweepSummary& s) {
  const size_t A = L.arms.size(), M = L.metrics.size();
  std::vector<h5::Field> fields = {{"arm", h5::Type::string, {}, {}},
                                   {"metric", h5::Type::string, {}, {}},
                                   {"replicate_variance", h5::Type::f64, {}, {}},
                                   {"total_variance", h5::Type::f64, {}, {}},
                                   {"stochastic_share", h5::Type::f64, {}, {}}};
  for (size_t a = 0; a < A; ++a)
    for (size_t m = 0; m < M; ++m) {
      const NoiseShare& x = s.noise[a * M + m];
      fields[0].strings.push_back(L.arms[a]);
      fields[1].strings.push_back(L.metrics[m]);
      fields[2].numbers.push_back(x.replicate_variance);
      fields[3].numbers.push_back(x.total_variance);
      fields[4].numbers.push_back(x.share);
    }
  h5::Table t;
  t.fields = std::move(fields);
  h5::write_table(f, "noise", t, h5::Compress::yes);
}

void write_root_attrs(const h5::Handle& f, const SweepLayout& L, bool shard_file, uint32_t shard,
                      uint32_t shards, uint64_t runs, uint64_t failed) {
  h5::write_attr(f, "kind", shard_file ? kShardKind : kSweepKind);
  h5::write_attr(f, "sweep_format_version", kSweepFormatVersion);
  h5::write_attr(f, "fourp_version", FOURP_VERSION);
  h5::write_attr(f, "name", L.name);
  h5::write_attr(f, "sweep", L.sweep_text);
  h5::write_attr(f, "sweep_file", L.sweep_file);
  h5::write_attr(f, "hash", L.hash_hex());
  h5::write_attr(f, "scenario", L.scenario_yaml);
  h5::write_attr(f, "design", L.design);
  h5::write_attr(f, "design_seed", L.design_seed);
  h5::write_attr(f, "independent_seeds", uint32_t{L.independent_seeds ? 1u : 0u});
  h5::write_attr(f, "samples", L.sample_count());
  if (L.sobol_base > 0) h5::write_attr(f, "sobol_base_samples", L.sobol_base);
  if (L.morris_trajectories > 0) {
    h5::write_attr(f, "morris_trajectories", L.morris_trajectories);
    h5::write_attr(f, "morris_levels", L.morris_levels);
  }
  if (L.bootstrap > 0) h5::write_attr(f, "bootstrap", L.bootstrap);
  h5::write_attr(f, "replicates", L.replicates);
  h5::write_attr(f, "arms", L.arms);
  h5::write_attr(f, "baseline_arm", L.baseline_arm);
  h5::write_attr(f, "parameters", L.parameters);
  if (!L.drawn.empty()) h5::write_attr(f, "drawn_parameters", drawn_names(L));
  h5::write_attr(f, "totals", L.totals);
  h5::write_attr(f, "metrics", L.metrics);
  h5::write_attr(f, "arm_reads", arm_reads_words(L));
  if (shard_file) {
    h5::write_attr(f, "shard_index", shard);
    h5::write_attr(f, "shard_count", shards);
  }
  h5::write_attr(f, "runs", runs);
  h5::write_attr(f, "failed_runs", failed);
  h5::write_attr(f, "created_utc", utc_now());
}

size_t max_length(const std::vector<std::string>& words) {
  size_t n = 1;
  for (const auto& w : words) n = std::max(n, w.size());
  return n;
}

// Calls visit(first_run, count) for each block of runs of the file, in run order: one sample
// (every replicate and arm) for a whole sweep, one task (every arm) for a shard.
template <class F>
void for_each_block(const SweepLayout& L, uint32_t shard, uint32_t shards, F visit) {
  const uint64_t A = L.arms.size();
  if (shards <= 1) {
    const uint64_t per_sample = A * L.replicates;
    for (uint32_t j = 0; j < L.sample_count(); ++j) visit(j * per_sample, per_sample);
  } else {
    for (uint64_t t = shard; t < L.tasks(); t += shards) visit(t * A, A);
  }
}
// The whole sweep (summary given) or one shard of it (summary null).
void write_file(const SweepLayout& L, const SweepJournal& journal, const SweepSummary* summary,
                const fs::path& out, bool overwrite, uint32_t shard, uint32_t shards) {
  const bool shard_file = shards > 1;
  const size_t A = L.arms.size(), M = L.metrics.size(), T = L.totals.size(),
               P = L.parameters.size(), U = L.drawn.size();
  const bool sobol = !shard_file && L.sobol_base > 0;
  const bool morris = !shard_file && L.morris_trajectories > 0;
  if (summary &&
      (summary->rows.size() != size_t{L.sample_count()} * A || summary->noise.size() != A * M ||
       summary->sobol.size() != (sobol ? A * M * P : 0) ||
       summary->morris.size() != (morris ? A * M * P : 0)))
    throw std::invalid_argument("write_sweep_file: the summary is not of this sweep");

  // Pass 1: every run present; how many failed; the widest error.
  uint64_t runs = 0, failed = 0;
  size_t error_width = 1;
  std::vector<RunRecord> records;
  std::vector<bool> present;
  for_each_block(L, shard, shards, [&](uint64_t first, uint64_t count) {
    journal.read(first, count, records, present);
    for (uint64_t k = 0; k < count; ++k) {
      if (!present[k])
        throw std::logic_error(
            fmt::format("write_sweep_file: run {} is not in the journal", first + k));
      ++runs;
      if (!records[k].ok) ++failed;
      error_width = std::max(error_width, records[k].error.size());
    }
  });

  write_atomically(out, overwrite, [&](const fs::path& temp) {
    h5::File f = h5::File::create(temp);
    write_root_attrs(f, L, shard_file, shard, shards, runs, failed);
    write_samples(f, L);

    std::vector<H5Column> run_cols = {{"run", h5::Type::u64},
                                      {"sample", h5::Type::u32},
                                      {"arm", h5::Type::string, max_length(L.arms)},
                                      {"replicate", h5::Type::u32},
                                      {"seed", h5::Type::u32}};
    // The values the run drew (a pure function of its seed and replicate: written here from the
    // layout, not carried through the journal), after its seed as its inputs, before its outputs.
    for (const auto& u : drawn_names(L)) run_cols.push_back({u, h5::Type::f64});
    run_cols.push_back({"ok", h5::Type::u8});
    for (const auto& t : L.totals) run_cols.push_back({t, h5::Type::f64});
    run_cols.push_back({"error", h5::Type::string, error_width});
    H5Appender runs_table(f, "runs", run_cols, runs);

    std::optional<H5Appender> summary_table;
    if (summary) {
      std::vector<H5Column> cols = {{"sample", h5::Type::u32},
                                    {"arm", h5::Type::string, max_length(L.arms)}};
      for (const auto& p : L.parameters) cols.push_back({p, h5::Type::f64});
      cols.push_back({"replicates_ok", h5::Type::u32});
      cols.push_back({"replicates_failed", h5::Type::u32});
      for (const auto& m : L.metrics) {
        cols.push_back({m + "_mean", h5::Type::f64});
        cols.push_back({m + "_sd", h5::Type::f64});
      }
      summary_table.emplace(f, "summary", cols, uint64_t{L.sample_count()} * A);
    }

    // A sample's summary rows follow its runs, so that the chunks of both tables are written in
    // the same order as ever (the same bytes).
    std::vector<double> theta;
    uint64_t theta_task = UINT64_MAX;  // the task whose draws `theta` holds (its arms share them)
    for_each_block(L, shard, shards, [&](uint64_t first, uint64_t count) {
      journal.read(first, count, records, present);
      for (uint64_t k = 0; k < count; ++k) {
        const RunPlan p = L.run(first + k);
        const RunRecord& r = records[k];
        if (U > 0 && p.task != theta_task) {
          theta = L.draws(p.sample, p.replicate);
          theta_task = p.task;
        }
        runs_table.u64(0, p.index);
        runs_table.num(1, p.sample);
        runs_table.str(2, L.arms[p.arm]);
        runs_table.num(3, p.replicate);
        runs_table.num(4, p.seed);
        for (size_t u = 0; u < U; ++u) runs_table.num(5 + u, theta[u]);
        runs_table.num(5 + U, r.ok ? 1 : 0);
        for (size_t t = 0; t < T; ++t) runs_table.num(6 + U + t, r.ok ? r.totals[t] : kNaN);
        runs_table.str(6 + U + T, r.error);
        runs_table.end_row();
      }
      if (!summary_table) return;
      const uint32_t j = static_cast<uint32_t>(first / (A * L.replicates));
      for (size_t a = 0; a < A; ++a) {
        const ArmSummary& s = summary->rows[size_t{j} * A + a];
        summary_table->num(0, j);
        summary_table->str(1, L.arms[a]);
        for (size_t i = 0; i < P; ++i) summary_table->num(2 + i, L.value(j, i));
        summary_table->num(2 + P, s.ok);
        summary_table->num(3 + P, s.failed);
        for (size_t m = 0; m < M; ++m) {
          summary_table->num(4 + P + 2 * m, s.mean[m]);
          summary_table->num(5 + P + 2 * m, s.sd[m]);
        }
        summary_table->end_row();
      }
    });
    runs_table.finish();
    if (summary_table) summary_table->finish();

    if (summary) {
      write_noise(f, L, *summary);
      if (sobol) write_sobol(f, L, *summary);
      if (L.morris_trajectories > 0) write_morris(f, L, *summary);
    }
    f.close();
  });
}

}  // namespace

void write_sweep_file(const SweepLayout& layout, const SweepJournal& journal,
                      const SweepSummary& summary, const fs::path& out, bool overwrite) {
  write_file(layout, journal, &summary, out, overwrite, 0, 1);
}

void write_shard_file(const SweepLayout& layout, const SweepJournal& journal, const fs::path& out,
                      bool overwrite, uint32_t shard, uint32_t shards) {
  if (shards < 2) throw std::invalid_argument("write_shard_file: a shard of fewer than 2 shards");
  write_file(layout, journal, nullptr, out, overwrite, shard, shards);
}

}  // namespace fourp
