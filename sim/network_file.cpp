// Reading a `file` network (SCENARIO.md `network: {kind: file, path, communities}`): an edge
// list as SNAP and networkx write them, and an optional node → community table. The format is
// described in network.h above read_network_file.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

#include "sim/input_files.h"
#include "sim/network.h"
#include "sim/scenario.h"

namespace fourp {

namespace {

// After this many errors in one file the rest are only counted: a wrong file (say, a CSV with
// names) should not print a million lines.
constexpr int kMaxErrorsPerFile = 20;

// The errors of one file, each at "path:line".
class FileErrors {
 public:
  FileErrors(std::string path, Diagnostics& diag) : path_(std::move(path)), diag_(diag) {}
  FileErrors(const FileErrors&) = delete;
  ~FileErrors() {
    if (count_ > kMaxErrorsPerFile)
      diag_.error({path_},
                  fmt::format("… and {} more errors in this file", count_ - kMaxErrorsPerFile));
  }
  void at(int line, std::string message) {
    if (++count_ <= kMaxErrorsPerFile) diag_.error({path_, line}, std::move(message));
  }
  int count() const { return count_; }

 private:
  std::string path_;
  Diagnostics& diag_;
  int count_ = 0;
};

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == ',' || c == '\r';
}

// The fields of one line: separated by any run of spaces, tabs and commas; `#` starts a comment.
std::vector<std::string_view> split_fields(std::string_view line) {
  line = line.substr(0, line.find('#'));
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_separator(line[i])) ++i;
    size_t start = i;
    while (i < line.size() && !is_separator(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

std::optional<uint64_t> parse_id(std::string_view field) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size()) return std::nullopt;
  return value;
}

std::optional<std::string> read_text(const std::filesystem::path& path) {
  // A device (/dev/zero, /dev/urandom) never ends: "cannot read", not an endless read.
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (std::filesystem::is_character_file(st) || std::filesystem::is_block_file(st) ||
      std::filesystem::is_directory(st))
    return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  note_input_file(path);  // no output may replace it (sim/input_files.h)
  std::ostringstream text;
  text << in.rdbuf();
  std::string s = std::move(text).str();
  if (s.starts_with("\xEF\xBB\xBF")) s.erase(0, 3);  // a UTF-8 byte order mark (Excel's CSV)
  return s;
}

// Calls record(line number, fields) for every line that holds data: blank and comment lines are
// skipped, and so is a header, the first data line if none of its fields is a number.
template <typename Record>
void for_each_record(std::string_view text, Record record) {
  bool first = true;
  int line_number = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = std::min(text.find('\n', pos), text.size());
    ++line_number;
    auto fields = split_fields(text.substr(pos, end - pos));
    pos = end + 1;
    if (fields.empty()) continue;
    const bool header = first && std::none_of(fields.begin(), fields.end(), [](std::string_view f) {
                          return parse_id(f).has_value();
                        });
    first = false;
    if (!header) record(line_number, fields);
  }
}

struct Edge {
  uint64_t a, b;  // original node ids
  int line;
};

std::optional<uint64_t> parse_node(std::string_view field, int line, FileErrors& errors) {
  auto id = parse_id(field);
  if (!id) errors.at(line, fmt::format("node id '{}' is not a non-negative integer", field));
  return id;
}

// Edge list: two node ids; a networkx attribute dict after them ("0 1 {'weight': 2}") is ignored.
std::vector<Edge> parse_edges(std::string_view text, FileErrors& errors) {
  std::vector<Edge> edges;
  for_each_record(text, [&](int line, const std::vector<std::string_view>& f) {
    const bool networkx_data = f.size() > 2 && f[2].starts_with('{');
    if (f.size() < 2 || (f.size() > 2 && !networkx_data)) {
      errors.at(line,
                fmt::format("expected two node ids, found {} field{}{}", f.size(),
                            f.size() == 1 ? "" : "s",
                            f.size() > 2 ? " (weights and other columns are not supported)" : ""));
      return;
    }
    auto a = parse_node(f[0], line, errors);
    auto b = parse_node(f[1], line, errors);
    if (a && b) edges.push_back({*a, *b, line});
  });
  return edges;
}

struct Membership {
  uint64_t node;
  uint32_t community;
  int line;
};

// Communities table: node id, community id.
std::vector<Membership> parse_communities(std::string_view text, FileErrors& errors) {
  std::vector<Membership> rows;
  for_each_record(text, [&](int line, const std::vector<std::string_view>& f) {
    if (f.size() != 2) {
      errors.at(line, fmt::format("expected a node id and a community id, found {} field{}",
                                  f.size(), f.size() == 1 ? "" : "s"));
      return;
    }
    auto node = parse_node(f[0], line, errors);
    auto community = parse_id(f[1]);
    if (!community || *community >= 0xFFFFFFFFull) {
      errors.at(line, fmt::format("community id '{}' is not a non-negative integer", f[1]));
      return;
    }
    if (node) rows.push_back({*node, static_cast<uint32_t>(*community), line});
  });
  return rows;
}

// Sorted by node id; a node listed twice is an error at its second line.
void sort_and_check_unique(std::vector<Membership>& rows, FileErrors& errors) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Membership& x, const Membership& y) { return x.node < y.node; });
  for (size_t i = 1; i < rows.size(); ++i)
    if (rows[i].node == rows[i - 1].node)
      errors.at(rows[i].line, fmt::format("node {} is listed again (first at line {})",
                                          rows[i].node, rows[i - 1].line));
}

// Community ids are used by number (intervention targets), so they must be exactly 0…C−1.
std::vector<uint32_t> community_sizes(const std::vector<Membership>& rows, FileErrors& errors) {
  uint32_t communities = 0;
  for (const auto& r : rows) communities = std::max(communities, r.community + 1);
  if (communities > rows.size()) {  // gaps for sure; do not allocate a count per id
    errors.at(0, fmt::format("community ids must be 0…C−1 without gaps, but the largest is {} "
                             "for {} nodes",
                             communities - 1, rows.size()));
    return {};
  }
  std::vector<uint32_t> sizes(communities, 0);
  for (const auto& r : rows) ++sizes[r.community];
  std::vector<uint32_t> unused;
  for (uint32_t c = 0; c < communities; ++c)
    if (sizes[c] == 0) unused.push_back(c);
  if (!unused.empty())
    errors.at(0, fmt::format("community ids must be 0…{} without gaps (interventions name "
                             "them by number), but no node is in {} {}{}",
                             communities - 1, unused.size() == 1 ? "community" : "communities",
                             fmt::join(unused.begin(),
                                       unused.begin() + std::min<size_t>(unused.size(), 10), ", "),
                             unused.size() > 10 ? ", …" : ""));
  return sizes;
}

// Without a communities table: every node of the edge list, in one community.
std::vector<Membership> one_community(const std::vector<Edge>& edges) {
  std::vector<uint64_t> ids;
  ids.reserve(2 * edges.size());
  for (const auto& e : edges) ids.insert(ids.end(), {e.a, e.b});
  tbb::parallel_sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<Membership> rows(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) rows[i] = {ids[i], 0, 0};
  return rows;
}

// Agent id of each row (rows sorted by node id): sorted by (community, node id).
std::vector<uint32_t> agent_ids(const std::vector<Membership>& rows,
                                const std::vector<uint32_t>& sizes) {
  std::vector<uint32_t> next(sizes.size() + 1, 0);  // next free agent id of each community
  for (size_t c = 0; c < sizes.size(); ++c) next[c + 1] = next[c] + sizes[c];
  std::vector<uint32_t> agent(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) agent[i] = next[rows[i].community]++;
  return agent;
}

// The row of node id, or nullopt (rows sorted by node id).
std::optional<size_t> find_node(const std::vector<Membership>& rows, uint64_t id) {
  auto it = std::lower_bound(rows.begin(), rows.end(), id,
                             [](const Membership& r, uint64_t x) { return r.node < x; });
  if (it == rows.end() || it->node != id) return std::nullopt;
  return static_cast<size_t>(it - rows.begin());
}

// A key for an edge with a node that has no row.
constexpr uint64_t kMissing = ~0ull;

// Ties in agent ids, smaller first, packed as a << 32 | b. Lookups are independent, so they run
// in parallel; a large file has millions of them.
std::vector<uint64_t> tie_keys(const std::vector<Edge>& edges, const std::vector<Membership>& rows,
                               const std::vector<uint32_t>& agent) {
  std::vector<uint64_t> keys(edges.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, edges.size()), [&](const auto& range) {
    for (size_t i = range.begin(); i < range.end(); ++i) {
      auto ra = find_node(rows, edges[i].a), rb = find_node(rows, edges[i].b);
      if (!ra || !rb) {
        keys[i] = kMissing;
        continue;
      }
      uint32_t a = agent[*ra], b = agent[*rb];
      if (a > b) std::swap(a, b);
      keys[i] = static_cast<uint64_t>(a) << 32 | b;
    }
  });
  return keys;
}

// Every node of an edge must be in the communities table: each missing node is named once, at
// the first line that uses it.
void report_missing_nodes(const std::vector<Edge>& edges, const std::vector<uint64_t>& keys,
                          const std::vector<Membership>& rows, const std::string& table,
                          FileErrors& errors) {
  std::vector<uint64_t> reported;
  for (size_t i = 0; i < edges.size(); ++i) {
    if (keys[i] != kMissing) continue;
    for (uint64_t id : {edges[i].a, edges[i].b}) {
      if (find_node(rows, id) || std::find(reported.begin(), reported.end(), id) != reported.end())
        continue;
      reported.push_back(id);
      errors.at(edges[i].line, fmt::format("node {} is not in the communities file {}", id, table));
    }
  }
}

// MODEL.md: the network is simple. Self-loops and repeated ties are dropped, with one warning.
std::vector<std::pair<uint32_t, uint32_t>> simple_ties(std::vector<uint64_t> keys,
                                                       const std::string& path, Diagnostics& diag) {
  const size_t listed = keys.size();
  auto loops = std::remove_if(keys.begin(), keys.end(),
                              [](uint64_t k) { return (k >> 32) == (k & 0xFFFFFFFFu); });
  const size_t self_loops = keys.end() - loops;
  keys.erase(loops, keys.end());
  tbb::parallel_sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  const size_t repeats = listed - self_loops - keys.size();
  if (self_loops + repeats > 0)
    diag.warning({path}, fmt::format("{} self-loop{} and {} repeated tie{} ignored (a tie listed "
                                     "as both a-b and b-a counts once): the network is simple",
                                     self_loops, self_loops == 1 ? "" : "s", repeats,
                                     repeats == 1 ? "" : "s"));
  std::vector<std::pair<uint32_t, uint32_t>> ties(keys.size());
  for (size_t i = 0; i < keys.size(); ++i)
    ties[i] = {static_cast<uint32_t>(keys[i] >> 32), static_cast<uint32_t>(keys[i])};
  return ties;
}

}  // namespace

NetworkFile read_network_file(const NetworkSpec& spec, Diagnostics& diag) {
  const std::string edges_path = spec.path.string(), table_path = spec.communities.string();
  auto edges_text = read_text(spec.path);
  if (!edges_text) {
    diag.error(spec.loc, fmt::format("cannot read network file '{}'", edges_path));
    return {};
  }
  std::optional<std::string> table_text;
  if (!spec.communities.empty()) {
    table_text = read_text(spec.communities);
    if (!table_text) {
      diag.error(spec.loc, fmt::format("cannot read communities file '{}'", table_path));
      return {};
    }
  }

  FileErrors edge_errors(edges_path, diag);
  std::vector<Edge> edges = parse_edges(*edges_text, edge_errors);
  edges_text.reset();

  std::vector<Membership> rows;
  std::vector<uint32_t> sizes;
  {
    FileErrors table_errors(table_path, diag);
    if (table_text) {
      rows = parse_communities(*table_text, table_errors);
      sort_and_check_unique(rows, table_errors);
      if (table_errors.count() == 0)
        sizes = community_sizes(rows, table_errors);  // no follow-on errors
      if (rows.empty() && table_errors.count() == 0) table_errors.at(0, "lists no nodes");
    } else {
      rows = one_community(edges);
      sizes = {static_cast<uint32_t>(rows.size())};
      if (rows.empty() && edge_errors.count() == 0) edge_errors.at(0, "lists no ties");
    }
    if (table_errors.count() > 0) return {};
  }
  if (rows.size() >= 0xFFFFFFFFull)
    edge_errors.at(0, fmt::format("{} nodes: at most 2^32 - 2 are supported", rows.size()));
  if (edge_errors.count() > 0) return {};

  std::vector<uint32_t> agent = agent_ids(rows, sizes);
  std::vector<uint64_t> keys = tie_keys(edges, rows, agent);
  report_missing_nodes(edges, keys, rows, table_path, edge_errors);
  if (edge_errors.count() > 0) return {};

  NetworkFile file;
  file.community_sizes = std::move(sizes);
  file.node_ids.resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) file.node_ids[agent[i]] = rows[i].node;
  file.ties = simple_ties(std::move(keys), edges_path, diag);
  return file;
}

}  // namespace fourp
