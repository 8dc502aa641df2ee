#include "output/optimisation_journal.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'F', 'O', 'U', 'R', 'P', 'O', 'J', '1'};

Bytes payload_of(const JournalEntry& e) {
  Bytes b;
  put(b, e.evaluator);
  put(b, static_cast<uint32_t>(e.candidate.subsets.size()));
  for (const auto& s : e.candidate.subsets) {
    put(b, static_cast<uint32_t>(s.size()));
    for (uint32_t id : s) put(b, id);
  }
  put(b, static_cast<uint32_t>(e.candidate.numbers.size()));
  put(b, e.candidate.numbers);
  const Evaluation& v = e.evaluation;
  put(b, static_cast<uint8_t>(v.ok));
  put(b, static_cast<uint32_t>(v.error.size()));
  b.insert(b.end(), v.error.begin(), v.error.end());
  put(b, v.objective);
  put(b, v.objective_half);
  put(b, v.cost);
  put(b, v.cost_half);
  put(b, static_cast<uint32_t>(v.objective_by_replicate.size()));
  put(b, v.objective_by_replicate);
  put(b, v.cost_by_replicate);
  return b;
}

bool entry_of(const Bytes& payload, JournalEntry& e) {
  Cursor c{payload.data(), payload.size()};
  e.evaluator = c.get<uint32_t>();
  const uint32_t subsets = c.get<uint32_t>();
  for (uint32_t k = 0; c.ok && k < subsets; ++k) {
    const uint32_t n = c.get<uint32_t>();
    if (n > c.left / 4) return false;
    std::vector<uint32_t> s(n);
    for (uint32_t& id : s) id = c.get<uint32_t>();
    e.candidate.subsets.push_back(std::move(s));
  }
  e.candidate.numbers = c.doubles(c.get<uint32_t>());
  Evaluation& v = e.evaluation;
  v.ok = c.get<uint8_t>() != 0;
  const uint32_t error = c.get<uint32_t>();
  if (!c.ok || error > c.left) return false;
  v.error.assign(reinterpret_cast<const char*>(c.p), error);
  c.p += error, c.left -= error;
  v.objective = c.get<double>();
  v.objective_half = c.get<double>();
  v.cost = c.get<double>();
  v.cost_half = c.get<double>();
  const uint32_t replicates = c.get<uint32_t>();
  v.objective_by_replicate = c.doubles(replicates);
  v.cost_by_replicate = c.doubles(replicates);
  return c.ok && c.left == 0 && e.evaluator <= 1;
}

std::vector<JournalEntry> entries_of(const JournalScan& s) {
  std::vector<JournalEntry> out;
  for (const Bytes& r : s.records) {
    JournalEntry e;
    if (!entry_of(r, e)) break;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::vector<JournalEntry> read_optimisation_journal(const fs::path& path, uint64_t hash) {
  return entries_of(scan_journal(path, kMagic, hash, "optimisation"));
}

OptimisationJournal OptimisationJournal::create(const fs::path& path, uint64_t hash) {
  return OptimisationJournal(RecordJournal::create(path, kMagic, hash, "optimisation"));
}

OptimisationJournal OptimisationJournal::reopen(const fs::path& path, size_t entries) {
  const JournalScan s = scan_journal(path, kMagic, std::nullopt, "optimisation");
  if (entries_of(s).size() < entries)
    throw std::logic_error("OptimisationJournal::reopen: fewer entries than read");
  return OptimisationJournal(RecordJournal::reopen(path, s.ends.at(entries)));
}

void OptimisationJournal::write(const JournalEntry& e) {
  journal_.write(payload_of(e));
}

}  // namespace fourp
