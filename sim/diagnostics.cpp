#include "sim/diagnostics.h"

#include <fmt/format.h>
#include <algorithm>

namespace fourp {

std::string SourceLoc::str() const {
  if (line <= 0) return file;
  if (column <= 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

std::string Diagnostic::str() const {
  return fmt::format("{}: {}: {}", loc.str(), severity == Severity::error ? "error" : "warning",
                     message);
}

bool Diagnostics::keep(const SourceLoc& loc, Diagnostic::Severity severity) {
  if (severity == Diagnostic::Severity::error) has_errors_ = true;
  auto it = std::find_if(counts_.begin(), counts_.end(),
                         [&](const auto& c) { return c.first == loc.file; });
  if (it == counts_.end()) it = counts_.insert(counts_.end(), {loc.file, {0, 0}});
  if (++it->second.first <= kMaxDiagnosticsPerFile) return true;
  ++it->second.second;
  return false;
}

void Diagnostics::error(const SourceLoc& loc, std::string message) {
  if (keep(loc, Diagnostic::Severity::error))
    items_.push_back({Diagnostic::Severity::error, loc, std::move(message)});
}

void Diagnostics::warning(const SourceLoc& loc, std::string message) {
  if (keep(loc, Diagnostic::Severity::warning))
    items_.push_back({Diagnostic::Severity::warning, loc, std::move(message)});
}

bool Diagnostics::has_errors() const {
  return has_errors_;
}

size_t Diagnostics::unreported(const std::string& file) const {
  for (const auto& c : counts_)
    if (c.first == file) return c.second.second;
  return 0;
}

void Diagnostics::add_unreported(const Diagnostics& other) {
  for (const auto& entry : other.counts_) {
    const auto& n = entry.second;
    if (n.second == 0) continue;
    auto it = std::find_if(counts_.begin(), counts_.end(),
                           [&](const auto& c) { return c.first == entry.first; });
    if (it == counts_.end()) it = counts_.insert(counts_.end(), {entry.first, {0, 0}});
    it->second.first += n.second;
    it->second.second += n.second;
  }
  if (other.has_errors_) has_errors_ = true;
}

std::string Diagnostics::format() const {
  std::string out;
  for (const auto& d : items_) out += d.str() + "\n";
  for (const auto& [file, n] : counts_)
    if (n.second > 0)
      out += Diagnostic{Diagnostic::Severity::error, SourceLoc{file},
                        fmt::format("… and {} more errors in this file", n.second)}
                 .str() +
             "\n";
  return out;
}

namespace {
// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("reahc").
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}
}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;  // a typo changes few letters
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

}  // namespace fourp
