// Results as tidy long-format CSV files (`fourp report --csv DIR`), one observation a row, that
// pandas, R and spreadsheets read without help:
//
//   series.csv       arm,replicate,step,metric,value            /arms/<arm>/series/<metric>
//   <subgroup>.csv   arm,replicate,step,metric,value            /arms/<arm>/<subgroup>/<metric>
//                    (the model's declared subgroup, e.g. at_risk.csv; none without one)
//   communities.csv  arm,replicate,step,community,metric,value  /arms/<arm>/communities/<metric>
//   totals.csv       arm,replicate,total,value                  /arms/<arm>/totals
//   comparison.csv   arm,baseline,quantity,mean,low,high        /comparison/<arm>
//   parameters.csv   replicate,parameter,value                  /parameters
//   decision_frontier.csv       arm,status,compared_with,mean_cost,mean_effect,icer,
//                               probability_most_effective        /decision/arms
//   decision_acceptability.csv  lambda,arm,probability_best,expected_nmb,best_expected (1: the
//                               arm of highest expected NMB at λ) /decision/acceptability
//   decision_evpi.csv           lambda,evpi                       /decision/acceptability
//   decision_evppi.csv          parameter,lambda,evppi            /decision/evppi
//   decision_prcc.csv           arm,parameter,prcc,low,high       /decision/prcc
//
// Every file is written, with its header only when the results lack that part. Numbers are the
// shortest text that reads back as the same value (fmt "{}"): doubles as doubles, the float32
// community series as floats, so a round trip through the CSV is exact. NaN is an empty field
// (pandas: NaN, R: NA), infinities are Inf and -Inf. Text is quoted (RFC 4180) only when it
// holds a comma, a quote or a line break. Steps are rows 0..steps (0 the initial state);
// replicates and communities count from 0. Files are UTF-8 with "\n" line ends.
//
//   check_csv_targets("results/csv", "at_risk", overwrite);   // before any work
//   write_csv(results, "results/csv", overwrite);  // creates the directory; each file atomic
//
//   pandas:  pd.read_csv("results/csv/series.csv", float_precision="round_trip")
//            (pandas' default parser is fast but can differ in the last digits of a double)
//   R:       read.csv("results/csv/series.csv")
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sim/results.h"

namespace fourp {

// The file names write_csv writes, in order, for a model whose declared subgroup is `subgroup`
// (empty: none).
std::vector<std::string> csv_file_names(const std::string& subgroup);

// Throws InputError ("dir/series.csv: error: file exists (use --overwrite to replace it)", "dir:
// error: not a directory") when a file would be replaced without `overwrite` or `dir` cannot
// hold them. A missing `dir` is fine: write_csv creates it.
void check_csv_targets(const std::filesystem::path& dir, const std::string& subgroup,
                       bool overwrite);

// Writes every file into `dir` (created with its parents when missing), each atomically.
void write_csv(const Results& r, const std::filesystem::path& dir, bool overwrite);

}  // namespace fourp
