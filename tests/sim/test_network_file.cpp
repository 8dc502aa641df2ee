// read_network_file: SNAP, networkx and CSV edge lists, the communities table, and every bad
// line reported at path:line. Data in tests/data/networks/.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "sim/network.h"
#include "sim/scenario.h"

using namespace fourp;
using Catch::Matchers::Contains;

namespace {

const std::string kDir = std::string(FOURP_TEST_DATA) + "/networks/";

NetworkSpec file_spec(const std::string& edges, const std::string& communities = "") {
  NetworkSpec spec;
  spec.kind = NetworkSpec::Kind::file;
  spec.path = kDir + edges;
  if (!communities.empty()) spec.communities = kDir + communities;
  spec.loc = {"scenario.yaml", 12, 3};
  return spec;
}

size_t count_errors(const Diagnostics& diag) {
  return std::count_if(diag.all().begin(), diag.all().end(), [](const Diagnostic& d) {
    return d.severity == Diagnostic::Severity::error;
  });
}

std::vector<std::pair<uint32_t, uint32_t>> sorted(std::vector<std::pair<uint32_t, uint32_t>> t) {
  for (auto& [a, b] : t)
    if (a > b) std::swap(a, b);
  std::sort(t.begin(), t.end());
  return t;
}

// The five-node graph that snap.txt, networkx.edgelist and edges.csv all describe.
const std::vector<std::pair<uint32_t, uint32_t>> kFiveNodes = {{0, 1}, {0, 2}, {1, 2},
                                                               {2, 3}, {2, 4}, {3, 4}};

}  // namespace

TEST_CASE("network file: SNAP style, tabs and comments", "[unit]") {
  Diagnostics diag;
  NetworkFile f = read_network_file(file_spec("snap.txt"), diag);
  REQUIRE_FALSE(diag.has_errors());
  REQUIRE(f.node_ids == std::vector<uint64_t>{0, 1, 2, 3, 4});
  REQUIRE(f.community_sizes == std::vector<uint32_t>{5});
  REQUIRE(sorted(f.ties) == kFiveNodes);
  // "1 0" after "0 1" and the self-loop "4 4": one warning that counts both.
  REQUIRE(diag.all().size() == 1);
  REQUIRE(diag.all()[0].severity == Diagnostic::Severity::warning);
  REQUIRE_THAT(diag.format(), Contains("snap.txt: warning: 1 self-loop and 1 repeated tie"));
}

TEST_CASE("network file: networkx style, spaces and attribute dicts", "[unit]") {
  Diagnostics diag;
  NetworkFile f = read_network_file(file_spec("networkx.edgelist"), diag);
  REQUIRE(diag.all().empty());
  REQUIRE(f.node_ids.size() == 5);
  REQUIRE(sorted(f.ties) == kFiveNodes);
}

TEST_CASE("network file: CSV with commas and a header", "[unit]") {
  Diagnostics diag;
  NetworkFile f = read_network_file(file_spec("edges.csv"), diag);
  REQUIRE(diag.all().empty());
  REQUIRE(sorted(f.ties) == kFiveNodes);
  Network net = build_network(f);
  REQUIRE(net.nodes() == 5);
  REQUIRE(net.ties() == 6);
}

TEST_CASE("network file: agents sorted by (community, original id)", "[unit]") {
  Diagnostics diag;
  NetworkFile f =
      read_network_file(file_spec("villages_edges.csv", "villages_communities.csv"), diag);
  REQUIRE(diag.all().empty());
  // Community 0: 40, 50, 60; community 1: 10, 20, 30 and 70 (listed, without ties).
  REQUIRE(f.node_ids == std::vector<uint64_t>{40, 50, 60, 10, 20, 30, 70});
  REQUIRE(f.community_sizes == std::vector<uint32_t>{3, 4});
  // 10-20, 20-30, 30-10 → 3-4, 4-5, 5-3; 40-50, 50-60 → 0-1, 1-2; 30-40 → 5-0.
  REQUIRE(sorted(f.ties) == std::vector<std::pair<uint32_t, uint32_t>>{
                                {0, 1}, {0, 5}, {1, 2}, {3, 4}, {3, 5}, {4, 5}});
  Network net = build_network(f);
  REQUIRE(net.nodes() == 7);
  REQUIRE(net.degree(6) == 0);
}

TEST_CASE("network file: every bad line is reported with its line number", "[unit]") {
  Diagnostics diag;
  NetworkFile f = read_network_file(file_spec("bad_edges.txt"), diag);
  REQUIRE(diag.has_errors());
  REQUIRE(f.node_ids.empty());
  REQUIRE(f.ties.empty());
  const std::string out = diag.format();
  REQUIRE_THAT(out, Contains("bad_edges.txt:3: error: expected two node ids, found 1 field"));
  REQUIRE_THAT(out, Contains("bad_edges.txt:5: error: node id 'a' is not a non-negative integer"));
  REQUIRE_THAT(out, Contains("bad_edges.txt:5: error: node id 'b' is not a non-negative integer"));
  REQUIRE_THAT(out, Contains("bad_edges.txt:6: error: expected two node ids, found 3 fields"));
  REQUIRE_THAT(out, Contains("bad_edges.txt:7: error: node id '-1'"));
  REQUIRE_THAT(out, Contains("bad_edges.txt:9: error: node id 'x'"));
  REQUIRE(count_errors(diag) == 6);  // and no others: lines 2, 4 and 10 are good
}

TEST_CASE("network file: after 20 errors the rest are counted", "[unit]") {
  Diagnostics diag;
  read_network_file(file_spec("many_bad.txt"), diag);
  REQUIRE(count_errors(diag) == 21);
  REQUIRE_THAT(diag.all()[0].str(), Contains("many_bad.txt:2: error:"));
  REQUIRE_THAT(diag.all()[19].str(), Contains("many_bad.txt:21: error:"));
  REQUIRE_THAT(diag.all()[20].str(), Contains("… and 5 more errors in this file"));
}

TEST_CASE("network file: a missing file is an error at the scenario's network section", "[unit]") {
  Diagnostics diag;
  NetworkFile f = read_network_file(file_spec("no_such_file.txt"), diag);
  REQUIRE(count_errors(diag) == 1);
  REQUIRE_THAT(diag.format(), Contains("scenario.yaml:12:3: error: cannot read network file"));
  REQUIRE_THAT(diag.format(), Contains("no_such_file.txt"));
  REQUIRE(f.node_ids.empty());

  Diagnostics diag2;
  read_network_file(file_spec("path4.txt", "no_such_table.csv"), diag2);
  REQUIRE_THAT(diag2.format(), Contains("scenario.yaml:12:3: error: cannot read communities file"));
}

TEST_CASE("network file: a node missing from the communities file", "[unit]") {
  Diagnostics diag;
  NetworkFile f =
      read_network_file(file_spec("missing_node_edges.txt", "missing_node_communities.txt"), diag);
  REQUIRE(count_errors(diag) == 1);
  REQUIRE_THAT(diag.format(),
               Contains("missing_node_edges.txt:3: error: node 99 is not in the communities file"));
  REQUIRE(f.ties.empty());
}

TEST_CASE("network file: community ids must be 0..C-1, each used", "[unit]") {
  Diagnostics diag;
  read_network_file(file_spec("path4.txt", "gap_communities.txt"), diag);
  REQUIRE(count_errors(diag) == 1);
  REQUIRE_THAT(diag.format(), Contains("gap_communities.txt: error: community ids must be 0…2"));
  REQUIRE_THAT(diag.format(), Contains("no node is in community 1"));
}

TEST_CASE("network file: a huge community id is a gap, not a huge allocation", "[unit]") {
  Diagnostics diag;
  NetworkFile f = read_network_file(file_spec("path4.txt", "huge_community.txt"), diag);
  REQUIRE(count_errors(diag) == 1);
  REQUIRE_THAT(diag.format(), Contains("huge_community.txt: error: community ids must be 0…C−1 "
                                       "without gaps, but the largest is 4000000000 for 4 nodes"));
  REQUIRE(f.community_sizes.empty());
}

TEST_CASE("network file: a node listed twice in the communities file", "[unit]") {
  Diagnostics diag;
  read_network_file(file_spec("path4.txt", "repeated_communities.txt"), diag);
  REQUIRE(count_errors(diag) == 1);
  REQUIRE_THAT(diag.format(),
               Contains("repeated_communities.txt:5: error: node 1 is listed again (first at "
                        "line 3)"));
}
