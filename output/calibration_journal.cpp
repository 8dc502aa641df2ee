#include "output/calibration_journal.h"

#include <stdexcept>

namespace fourp {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'F', 'O', 'U', 'R', 'P', 'C', 'J', '1'};

Bytes payload_of(const SmcGeneration& g) {
  Bytes b;
  put(b, g.generation);
  put(b, g.dimension);
  put(b, uint64_t{g.log_likelihood.size()});
  put(b, g.temperature);
  put(b, g.ess);
  put(b, g.acceptance_rate);
  put(b, g.move_rounds);
  put(b, g.evaluations);
  put(b, g.failed_evaluations);
  put(b, g.z);
  put(b, g.theta);
  put(b, g.log_likelihood);
  put(b, g.log_weight);
  return b;
}

bool generation_of(const Bytes& payload, SmcGeneration& g) {
  const size_t n = payload.size();
  Cursor c{payload.data(), n};
  g.generation = c.get<uint32_t>();
  g.dimension = c.get<uint32_t>();
  const uint64_t particles = c.get<uint64_t>();
  g.temperature = c.get<double>();
  g.ess = c.get<double>();
  g.acceptance_rate = c.get<double>();
  g.move_rounds = c.get<uint32_t>();
  g.evaluations = c.get<uint64_t>();
  g.failed_evaluations = c.get<uint64_t>();
  if (!c.ok || g.dimension == 0 || particles > n) return false;
  g.z = c.doubles(particles * g.dimension);
  g.theta = c.doubles(particles * g.dimension);
  g.log_likelihood = c.doubles(particles);
  g.log_weight = c.doubles(particles);
  return c.ok && c.left == 0;
}

// The generations of a journal, in order, up to the first record that is not the next one.
std::vector<SmcGeneration> generations_of(const JournalScan& s) {
  std::vector<SmcGeneration> out;
  for (const Bytes& r : s.records) {
    SmcGeneration g;
    if (!generation_of(r, g) || g.generation != out.size()) break;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace

uint64_t calibration_hash(std::string_view text) {
  return journal_hash(text);
}

std::vector<SmcGeneration> read_calibration_journal(const fs::path& path, uint64_t hash) {
  return generations_of(scan_journal(path, kMagic, hash, "calibration"));
}

CalibrationJournal CalibrationJournal::create(const fs::path& path, uint64_t hash) {
  return CalibrationJournal(RecordJournal::create(path, kMagic, hash, "calibration"));
}

CalibrationJournal CalibrationJournal::reopen(const fs::path& path,
                                              const std::vector<SmcGeneration>& generations) {
  const JournalScan s = scan_journal(path, kMagic, std::nullopt, "calibration");
  if (generations_of(s).size() < generations.size())
    throw std::logic_error("CalibrationJournal::reopen: fewer generations than read");
  // The header and the records of `generations`; anything after them is cut off.
  return CalibrationJournal(RecordJournal::reopen(path, s.ends.at(generations.size())));
}

void CalibrationJournal::write(const SmcGeneration& g) {
  journal_.write(payload_of(g));
}

}  // namespace fourp
