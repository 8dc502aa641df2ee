#include "output/csv_export.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "output/decision_file.h"
#include "output/results_file.h"
#include "sim/diagnostics.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

// Buffered output to one file; throws when a write fails (a full disk shows here, not later).
class CsvFile {
 public:
  explicit CsvFile(const fs::path& path) : path_(path), f_(std::fopen(path.c_str(), "wb")) {
    if (!f_) throw std::runtime_error(fmt::format("{}: error: cannot create file", path.string()));
  }
  ~CsvFile() {
    if (f_) std::fclose(f_);
  }
  fmt::memory_buffer& buf() { return buf_; }
  // Called after every row: flushes in blocks of about 1 MiB.
  void row_done() {
    if (buf_.size() > (1u << 20)) flush();
  }
  void close() {
    flush();
    const int rc = std::fclose(f_);
    f_ = nullptr;
    if (rc != 0) fail();
  }

 private:
  void flush() {
    if (buf_.size() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) fail();
    buf_.clear();
  }
  [[noreturn]] void fail() {
    throw std::runtime_error(fmt::format("{}: error: cannot write file", path_.string()));
  }
  fs::path path_;
  std::FILE* f_;
  fmt::memory_buffer buf_;
};

std::string text(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

template <class T>
void number(fmt::memory_buffer& b, T v) {
  if (std::isnan(v)) return;
  if (std::isinf(v)) {
    fmt::format_to(std::back_inserter(b), "{}", v > 0 ? "Inf" : "-Inf");
    return;
  }
  fmt::format_to(std::back_inserter(b), "{}", v);  // shortest round-trip text of the type
}

void write_one(const fs::path& dir, const std::string& name, bool overwrite,
               const std::function<void(CsvFile&)>& rows) {
  write_atomically(dir / name, overwrite, [&](const fs::path& temp) {
    CsvFile f(temp);
    rows(f);
    f.close();
  });
}

// series.csv and <subgroup>.csv: [metric][row] per run.
void series_rows(const Results& r, CsvFile& f, bool subgroup) {
  auto& b = f.buf();
  fmt::format_to(std::back_inserter(b), "arm,replicate,step,metric,value\n");
  const size_t rows = r.rows();
  for (const ArmResult& arm : r.arms) {
    const std::string a = text(arm.name);
    for (size_t k = 0; k < arm.replicates.size(); ++k) {
      const std::vector<double>& s =
          subgroup ? arm.replicates[k].subgroup : arm.replicates[k].series;
      for (size_t m = 0; m < r.series_names.size(); ++m) {
        const std::string metric = text(r.series_names[m]);
        for (size_t t = 0; t < rows && m * rows + t < s.size(); ++t) {
          fmt::format_to(std::back_inserter(b), "{},{},{},{},", a, k, t, metric);
          number(b, s[m * rows + t]);
          b.push_back('\n');
          f.row_done();
        }
      }
    }
  }
}

void community_rows(const Results& r, CsvFile& f) {
  auto& b = f.buf();
  fmt::format_to(std::back_inserter(b), "arm,replicate,step,community,metric,value\n");
  const size_t rows = r.rows(), cs = r.communities;
  for (const ArmResult& arm : r.arms) {
    const std::string a = text(arm.name);
    for (size_t k = 0; k < arm.replicates.size(); ++k) {
      const std::vector<float>& s = arm.replicates[k].communities;
      if (s.size() < r.series_names.size() * rows * cs) continue;
      for (size_t m = 0; m < r.series_names.size(); ++m) {
        const std::string metric = text(r.series_names[m]);
        for (size_t t = 0; t < rows; ++t)
          for (size_t c = 0; c < cs; ++c) {
            fmt::format_to(std::back_inserter(b), "{},{},{},{},{},", a, k, t, c, metric);
            number(b, s[(m * rows + t) * cs + c]);
            b.push_back('\n');
            f.row_done();
          }
      }
    }
  }
}

void total_rows(const Results& r, CsvFile& f) {
  auto& b = f.buf();
  fmt::format_to(std::back_inserter(b), "arm,replicate,total,value\n");
  for (const ArmResult& arm : r.arms) {
    const std::string a = text(arm.name);
    for (size_t k = 0; k < arm.replicates.size(); ++k)
      for (size_t t = 0; t < r.total_names.size() && t < arm.replicates[k].totals.size(); ++t) {
        fmt::format_to(std::back_inserter(b), "{},{},{},", a, k, text(r.total_names[t]));
        number(b, arm.replicates[k].totals[t]);
        b.push_back('\n');
        f.row_done();
      }
  }
}

void comparison_rows(const Results& r, CsvFile& f) {
  auto& b = f.buf();
  fmt::format_to(std::back_inserter(b), "arm,baseline,quantity,mean,low,high\n");
  for (const Comparison& c : r.comparisons)
    for (const Difference& d : c.differences) {
      fmt::format_to(std::back_inserter(b), "{},{},{},", text(c.arm), text(c.baseline),
                     text(d.quantity));
      number(b, d.mean);
      b.push_back(',');
      number(b, d.low);
      b.push_back(',');
      number(b, d.high);
      b.push_back('\n');
      f.row_done();
    }
}

// parameters.csv: replicate,parameter,value — each replicate's drawn uncertain parameters.
void parameter_rows(const Results& r, CsvFile& f) {
  auto& b = f.buf();
  fmt::format_to(std::back_inserter(b), "replicate,parameter,value\n");
  for (size_t k = 0; k < r.parameters.size(); ++k)
    for (size_t j = 0; j < r.parameter_names.size() && j < r.parameters[k].size(); ++j) {
      fmt::format_to(std::back_inserter(b), "{},{},", k, text(r.parameter_names[j]));
      number(b, r.parameters[k][j]);
      b.push_back('\n');
      f.row_done();
    }
}

// One row of text fields then numbers, comma-separated.
void row(CsvFile& f, std::initializer_list<std::string_view> texts,
         std::initializer_list<double> numbers) {
  auto& b = f.buf();
  bool first = true;
  for (std::string_view t : texts) {
    if (!first) b.push_back(',');
    first = false;
    const std::string q = text(t);
    b.append(q.data(), q.data() + q.size());
  }
  for (double v : numbers) {
    if (!first) b.push_back(',');
    first = false;
    number(b, v);
  }
  b.push_back('\n');
  f.row_done();
}

void header(CsvFile& f, std::string_view h) {
  f.buf().append(h.data(), h.data() + h.size());
}

void frontier_rows(const Results& r, CsvFile& f) {
  header(f, "arm,status,compared_with,mean_cost,mean_effect,icer,probability_most_effective\n");
  if (!r.decision) return;
  const DecisionAnalysis& d = *r.decision;
  for (size_t a = 0; a < d.arms.size(); ++a) {
    const FrontierArm& x = d.frontier[a];
    const bool has_previous = x.status == FrontierArm::Status::frontier && x.previous != a;
    row(f, {d.arms[a], status_name(x.status), has_previous ? d.arms[x.previous] : ""},
        {d.mean_cost[a], d.mean_effect[a], x.icer, d.probability_most_effective[a]});
  }
}

void acceptability_rows(const Results& r, CsvFile& f) {
  header(f, "lambda,arm,probability_best,expected_nmb,best_expected\n");
  if (!r.decision) return;
  const DecisionAnalysis& d = *r.decision;
  for (const Acceptability& x : d.acceptability)
    for (size_t a = 0; a < d.arms.size(); ++a) {
      auto& b = f.buf();
      number(b, x.lambda);
      b.push_back(',');
      row(f, {d.arms[a]},
          {x.probability_best[a], x.expected_nmb[a], a == x.best_expected ? 1.0 : 0.0});
    }
}

void evpi_rows(const Results& r, CsvFile& f) {
  header(f, "lambda,evpi\n");
  if (!r.decision) return;
  for (const Acceptability& x : r.decision->acceptability) row(f, {}, {x.lambda, x.evpi});
}

void evppi_rows(const Results& r, CsvFile& f) {
  header(f, "parameter,lambda,evppi\n");
  if (!r.decision) return;
  const DecisionAnalysis& d = *r.decision;
  for (size_t k = 0; k < d.parameters.size(); ++k)
    for (size_t i = 0; i < d.lambdas.size(); ++i)
      row(f, {d.parameters[k]}, {d.lambdas[i], d.evppi[k][i]});
}

void prcc_rows(const Results& r, CsvFile& f) {
  header(f, "arm,parameter,prcc,low,high\n");
  if (!r.decision) return;
  const DecisionAnalysis& d = *r.decision;
  for (size_t i = 0; i < d.prcc_arms.size(); ++i)
    for (size_t k = 0; k < d.parameters.size(); ++k)
      row(f, {d.prcc_arms[i], d.parameters[k]},
          {d.prcc[i].r[k], d.prcc[i].low[k], d.prcc[i].high[k]});
}

}  // namespace

std::vector<std::string> csv_file_names(const std::string& subgroup) {
  std::vector<std::string> names = {"series.csv"};
  if (!subgroup.empty()) names.push_back(subgroup + ".csv");
  for (const char* n : {"communities.csv", "totals.csv", "comparison.csv", "parameters.csv",
                        "decision_frontier.csv", "decision_acceptability.csv", "decision_evpi.csv",
                        "decision_evppi.csv", "decision_prcc.csv"})
    names.push_back(n);
  return names;
}

void check_csv_targets(const fs::path& dir, const std::string& subgroup, bool overwrite) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  if (!fs::is_directory(dir, ec))
    throw InputError(fmt::format("{}: error: not a directory (--csv needs one)", dir.string()));
  for (const std::string& name : csv_file_names(subgroup)) check_output_path(dir / name, overwrite);
}

void write_csv(const Results& r, const fs::path& dir, bool overwrite) {
  check_csv_targets(dir, r.outputs.subgroup, overwrite);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw InputError(
        fmt::format("{}: error: cannot create directory: {}", dir.string(), ec.message()));
  write_one(dir, "series.csv", overwrite, [&](CsvFile& f) { series_rows(r, f, false); });
  if (!r.outputs.subgroup.empty())
    write_one(dir, r.outputs.subgroup + ".csv", overwrite,
              [&](CsvFile& f) { series_rows(r, f, true); });
  write_one(dir, "communities.csv", overwrite, [&](CsvFile& f) { community_rows(r, f); });
  write_one(dir, "totals.csv", overwrite, [&](CsvFile& f) { total_rows(r, f); });
  write_one(dir, "comparison.csv", overwrite, [&](CsvFile& f) { comparison_rows(r, f); });
  write_one(dir, "parameters.csv", overwrite, [&](CsvFile& f) { parameter_rows(r, f); });
  const std::pair<const char*, void (*)(const Results&, CsvFile&)> decision[] = {
      {"decision_frontier.csv", frontier_rows},
      {"decision_acceptability.csv", acceptability_rows},
      {"decision_evpi.csv", evpi_rows},
      {"decision_evppi.csv", evppi_rows},
      {"decision_prcc.csv", prcc_rows}};
  for (const auto& file : decision)  // no structured binding: clang 14 cannot capture one
    write_one(dir, file.first, overwrite, [&](CsvFile& f) { file.second(r, f); });
}

}  // namespace fourp
