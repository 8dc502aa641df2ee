// The community prevention model of MODEL.md. One transition is `PreventionSimulation::step`,
// which lists the phases in MODEL.md's order; `update_block` applies rules 1–6 to a block of
// agents a chunk at a time (the vectorised rules in chunk_rules.cpp, what concerns few agents
// here), with the equations written above the lines that compute them.
#include "models/prevention/prevention_model.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>

#include "models/prevention/agent_state.h"
#include "models/prevention/chunk_rules.h"
#include "models/prevention/declarations.h"
#include "models/prevention/outsider_campaign.h"
#include "models/prevention/parameters.h"
#include "models/prevention/partnership.h"
#include "sim/far_ties.h"
#include "sim/neighbour_sums.h"

namespace fourp::models {

namespace {

// Observables, in the order of the results file (SCENARIO.md "Metric names").
enum Metric : size_t {
  kAwareness,
  kOtherness,
  kTrust,
  kEfficacy,
  kEngaged,
  kPartners,
  kExposures,
  kApproaches,
  kPrevented,
  kExploited,
  kAway,
  kLost,
  kReports,
  kApproachRate,
  kCost,
  kMetricCount
};
const std::vector<std::string> kMetricNames = {
    "awareness", "otherness", "trust",      "efficacy",      "engaged",
    "partners",  "exposures", "approaches", "prevented",     "exploited",
    "away",      "lost",      "reports",    "approach_rate", "cost"};
const std::vector<std::string> kTotalNames = {"exploited",       "prevented",     "approaches",
                                              "protection_rate", "engaged_final", "engaged_peak",
                                              "cost_total"};

// Sums over a set of agents; combined in a fixed order so results do not depend on threads.
struct Tally {
  double a = 0, o = 0, t = 0, f = 0;
  uint64_t present = 0, engaged = 0, partners = 0, exposures = 0, approaches = 0, prevented = 0,
           exploited = 0, away = 0, lost = 0, reports = 0;
  void add(const Tally& x) {
    a += x.a, o += x.o, t += x.t, f += x.f;
    present += x.present, engaged += x.engaged, partners += x.partners;
    exposures += x.exposures, approaches += x.approaches, prevented += x.prevented;
    exploited += x.exploited, away += x.away, lost += x.lost, reports += x.reports;
  }
  // Means over present agents and counts; approach_rate and cost are filled by the caller.
  template <class Out>
  void write(Out&& out) const {
    const double n = present ? static_cast<double>(present) : std::nan("");
    out(kAwareness, a / n), out(kOtherness, o / n), out(kTrust, t / n), out(kEfficacy, f / n);
    out(kEngaged, engaged / n), out(kPartners, static_cast<double>(partners));
    out(kExposures, static_cast<double>(exposures));
    out(kApproaches, static_cast<double>(approaches));
    out(kPrevented, static_cast<double>(prevented));
    out(kExploited, static_cast<double>(exploited)), out(kAway, static_cast<double>(away));
    out(kLost, static_cast<double>(lost)), out(kReports, static_cast<double>(reports));
  }
};

// Blocks: ranges of agents inside one community, the unit of parallel work and of partial sums.
// Fixed by the layout, never by the thread count. A block is updated in chunks small enough that
// a chunk's neighbourhoods and draws stay in the L1 cache between the passes over it.
using Block = AgentRange;
constexpr uint32_t kBlockSize = 2048;
constexpr size_t kMaxInterventions = 255;  // programme numbers are stored in a byte

std::vector<uint32_t> block_starts(const std::vector<Block>& blocks, uint32_t agents) {
  std::vector<uint32_t> starts;
  for (const Block& b : blocks) starts.push_back(b.first);
  starts.push_back(agents);
  return starts;
}

std::vector<Block> make_blocks(const Layout& L) {
  std::vector<Block> blocks;
  for (uint32_t c = 0; c < L.communities(); ++c)
    for (uint32_t i = L.community_start[c]; i < L.community_start[c + 1]; i += kBlockSize)
      blocks.push_back({i, std::min(i + kBlockSize, L.community_start[c + 1]), c});
  return blocks;
}

// The most ties a chunk of a block has (the size of ChunkScratch::columns).
size_t max_chunk_ties(const std::vector<Block>& blocks, const Network& network) {
  size_t most = 0;
  for (const Block& b : blocks)
    for (uint32_t first = b.first; first < b.last; first += kChunk) {
      size_t ties = 0;
      for (uint32_t i = first; i < std::min(first + kChunk, b.last); ++i) ties += network.degree(i);
      most = std::max(most, ties);
    }
  return most;
}

// One thread's buffers for a chunk of agents (chunk_rules.h): its arrays, the sums over its
// agents' ties, the draws made for every agent of the chunk (exposure, one row per campaign) and
// programme numbers. Allocated once per thread and run.
struct ChunkScratch {
  ChunkScratch(size_t campaigns, size_t ties) : exposure(campaigns * kChunk) {
    columns.reserve(ties);
  }
  Chunk chunk;
  NeighbourRecord sums[kChunk];
  uint8_t programme[kChunk];
  std::vector<uint32_t> exposure;  // [campaign * kChunk + k]: words of rule 3's draws
  // Rule 6: the approach draws of the chunk's at-risk agents; every agent's status at t + 1.
  uint32_t approach_words[kChunk];
  Status status[kChunk];
  std::vector<uint32_t> columns;  // the chunk's ties as the gather reads them (far_ties.h)
};

class PreventionModel;

class PreventionSimulation final : public Simulation {
 public:
  PreventionSimulation(const PreventionModel& model, const World& world, const Rng& rng);
  void step(uint32_t t) override;
  void observe(Observation& row) const override;
  std::vector<double> totals() const override;
  std::vector<Column> snapshot() const override;

 private:
  // One block's partial sums of the state it has just written and of the step's flows.
  // Accumulated in local values (registers, not memory shared with the state arrays) and stored
  // into the block's slot once, by store().
  struct BlockSums {
    Tally all;
    Tally at_risk;
    uint64_t* exposures;   // [campaign]
    uint64_t* partners;    // [programme number]
    uint32_t* changed;     // agents whose status or e changed: their list
    uint32_t changes = 0;  // and its length
  };
  BlockSums sums_of(size_t b);
  void store(size_t b, const BlockSums& sums);
  void update_block(size_t b, uint32_t t, ChunkScratch& scratch);
  void load_chunk(uint32_t first, uint32_t t, ChunkScratch& s);
  void speak(size_t b, uint32_t t);
  void dialogue(uint32_t i, uint32_t t, Chunk& c, uint32_t k) const;
  void programme_membership(uint32_t first, uint32_t t, ChunkScratch& s);
  void finish_chunk(uint32_t first, uint32_t t, ChunkScratch& s, BlockSums& sums);
  void trafficking_risk(uint32_t first, uint32_t t, ChunkScratch& s, Tally& all,
                        Tally& at_risk_tally);
  void absent_agents(uint32_t first, uint32_t t, ChunkScratch& s);
  void count_states(uint32_t first, uint32_t size, const AgentState& state, BlockSums& sums) const;
  void after_changes(uint32_t t);
  void mark_survivor(uint32_t i);
  uint32_t community_of(uint32_t i) const { return L_.community[i]; }
  Attitudes attitudes(uint32_t i) const {  // at t, present or not
    return now_.status[i] == Status::present ? now_.present_attitudes(i) : frozen_[i];
  }
  void sum_communities(std::vector<Tally>& all_by_c, std::vector<Tally>& at_risk_by_c, Tally& all,
                       Tally& at_risk) const;

  const PreventionModel& m_;
  const World& w_;
  const Layout& L_;
  Rng rng_;
  std::vector<Block> blocks_;
  FarTies far_ties_;  // ties between communities: their records read from a halo (far_ties.h)
  AgentState now_, next_;
  PreventionTraits traits_;        // the world's roles and initial traits, by name
  std::vector<uint8_t> survivor_;  // single buffer: only its own rule 6 writes it
  // Recruitment weight classes (partnership.h weight_bit) at t: set where survivors appear.
  std::vector<uint8_t> weight_class_;
  std::vector<Attitudes> frozen_;  // attitudes of absent agents (their records are zeros)
  // Counts over N(i) at t, kept up to date where they change (after_changes): deg*(i), the
  // present neighbours, and how many of them are engaged.
  std::vector<uint32_t> present_degree_, engaged_nb_;
  // Rule 4's dialogue: 1 where an agent heard at least one partner at t (speak), else 0; an
  // absent agent applies nothing, and whoever reads it resets it.
  std::vector<uint8_t> hears_;
  // Each chunk's agents in ascending degree, the order the gather takes them in (gather_order).
  std::vector<uint8_t> gather_order_;
  std::vector<uint32_t> at_risk_agents_;  // the at-risk agents, in ascending order (rule 6)
  // Rule 2 by push rather than pull: a case at τ marks the agent's neighbours and household with
  // near_until = τ + proximity_window, so "a case in t − window ≤ τ < t" is near_until ≥ t. Cases
  // are rare; reading every neighbour's case time every step was a third of the gather's cost.
  std::vector<int32_t> near_until_;
  std::vector<int32_t> exploited_at_;  // transition of an away agent's exploitation
  std::vector<uint8_t> recruit_;       // this step's recruits: programme number, else 0
  std::vector<double> lambda_;         // approach rate of each community at t
  std::vector<Tally> block_all_, block_at_risk_;
  std::vector<uint64_t> block_exposures_;  // [block * campaigns + campaign]
  std::vector<uint64_t> block_partners_;   // [block * (programmes + 1) + programme number ≥ 1]
  std::vector<uint8_t> programme_active_;  // [programme number] at the current step
  // Who changed at t, for after_changes: block b's list at changed_[first agent of b], of
  // length block_changes_[b].
  std::vector<uint32_t> changed_;
  std::vector<uint32_t> block_changes_;
  RecruitmentScratch recruitment_scratch_;
  tbb::enumerable_thread_specific<ChunkScratch> chunk_scratch_;
  std::vector<Tally> community_all_, community_at_risk_;  // scratch for observe()
  double cost_ = 0;
  // Totals over the run.
  uint64_t exploited_ = 0, prevented_ = 0, approaches_ = 0;
  double engaged_final_ = 0, engaged_peak_ = 0;
};

class PreventionModel final : public Model {
 public:
  PreventionModel(const Scenario& s, const ArmConfig& arm)
      : params(read_prevention_params(arm.sections[0], arm.sections[1])) {
    const uint32_t C = s.population.communities;
    for (const InterventionSpec& spec : arm.interventions) {
      PreventionParams own =
          read_prevention_params(arm.sections[0], arm.sections[1], &spec.model_overrides);
      if (spec.kind == "outsider_campaign") campaigns.emplace_back(spec, own, C);
      if (spec.kind == "partnership") programmes.emplace_back(spec, own, C);
    }
    if (programmes.size() > kMaxInterventions)
      throw std::runtime_error("an arm may run at most 255 partnership programmes");
  }
  std::unique_ptr<Simulation> start(const World& world, const Rng& rng) const override {
    return std::make_unique<PreventionSimulation>(*this, world, rng);
  }

  PreventionParams params;
  std::vector<OutsiderCampaign> campaigns;       // in the arm's order (rule 3 applies them so)
  std::vector<PartnershipProgramme> programmes;  // programme number k is programmes[k − 1]
};

uint32_t recruit_capacity(const PreventionModel& m, const Layout& L) {
  uint32_t k = 0, biggest = 0;
  for (const auto& p : m.programmes) k = std::max(k, p.recruit_per_step);
  for (uint32_t c = 0; c < L.communities(); ++c) biggest = std::max(biggest, L.community_size(c));
  return std::min(k, biggest);
}

PreventionSimulation::PreventionSimulation(const PreventionModel& model, const World& world,
                                           const Rng& rng)
    : m_(model),
      w_(world),
      L_(world.layout),
      rng_(rng),
      blocks_(make_blocks(world.layout)),
      far_ties_(world.network, world.layout, block_starts(blocks_, world.layout.agents)),
      now_(world.layout.agents, far_ties_.halo_size()),
      next_(world.layout.agents, far_ties_.halo_size()),
      traits_(world.traits),
      survivor_(traits_.survivor),
      weight_class_(world.layout.agents, 0),
      frozen_(world.layout.agents),
      present_degree_(world.layout.agents),
      engaged_nb_(world.layout.agents),
      hears_(world.layout.agents, 0),
      gather_order_(world.layout.agents),
      near_until_(world.layout.agents, std::numeric_limits<int32_t>::min() / 2),
      exploited_at_(world.layout.agents, 0),
      recruit_(world.layout.agents, 0),
      lambda_(world.layout.communities(), model.params.approach_rate),
      block_all_(blocks_.size()),
      block_at_risk_(blocks_.size()),
      block_exposures_(blocks_.size() * model.campaigns.size()),
      block_partners_(blocks_.size() * (model.programmes.size() + 1)),
      programme_active_(model.programmes.size() + 1, 0),
      changed_(world.layout.agents),
      block_changes_(blocks_.size()),
      recruitment_scratch_(blocks_.size(), world.layout.communities(),
                           recruit_capacity(model, world.layout)),
      chunk_scratch_(model.campaigns.size(), max_chunk_ties(blocks_, world.network)),
      community_all_(world.layout.communities()),
      community_at_risk_(world.layout.communities()) {
  const PreventionTraits& tr = traits_;
  const PreventionParams& p = m_.params;
  tbb::parallel_for(size_t{0}, blocks_.size(), [&](size_t b) {
    for (uint32_t first = blocks_[b].first; first < blocks_[b].last; first += kChunk)
      gather_order(w_.network, first, std::min(kChunk, blocks_[b].last - first),
                   gather_order_.data() + first);
    BlockSums sums = sums_of(b);
    const AgentState::Slice state = now_.from(0);
    for (uint32_t i = blocks_[b].first; i < blocks_[b].last; ++i) {
      float a = tr.awareness[i], o = tr.otherness[i];
      // Initial survivors start with the survivor floors of rule 6.
      if (survivor_[i]) {
        a = std::max(a, static_cast<float>(p.survivor_awareness));
        o = std::min(o, static_cast<float>(p.survivor_otherness));
      }
      // then e = 1 where a(1 − o)f ≥ θ
      const bool e = a * (1 - o) * tr.efficacy[i] >= tr.threshold[i];
      state.set(i, {a, o, tr.trust[i], tr.efficacy[i]}, e, 0, Status::present);
      present_degree_[i] = w_.network.degree(i);
      sums.all.a += a, sums.all.o += o, sums.all.t += tr.trust[i], sums.all.f += tr.efficacy[i];
      if (tr.at_risk[i]) {
        sums.at_risk.a += a, sums.at_risk.o += o;
        sums.at_risk.t += tr.trust[i], sums.at_risk.f += tr.efficacy[i];
      }
    }
    count_states(blocks_[b].first, blocks_[b].last - blocks_[b].first, now_, sums);
    store(b, sums);
  });
  for (uint32_t i = 0; i < L_.agents; ++i) {
    if (tr.at_risk[i]) at_risk_agents_.push_back(i);
    if (tr.leader[i]) weight_class_[i] |= weight_bit::leader;
    if (survivor_[i]) mark_survivor(i);
  }
  tbb::parallel_for(size_t{0}, blocks_.size(), [&](size_t b) {
    for (uint32_t i = blocks_[b].first; i < blocks_[b].last; ++i) {
      uint32_t engaged = 0;
      for (uint32_t j : w_.network.neighbours(i)) engaged += now_.engaged(j);
      engaged_nb_[i] = engaged;
    }
  });
  Tally all, at_risk;
  sum_communities(community_all_, community_at_risk_, all, at_risk);
  engaged_peak_ = engaged_final_ = all.present ? double(all.engaged) / all.present : 0.0;
}

// Rule 4's dialogue, who hears whom: present agent j hears partner neighbour q with probability
// min(1, dialogues / deg*(q)), by the draw (t, j, dialogue, q). The draws are made from the
// speakers' side, over the ties of the partners (few) rather than over those of every agent
// next to one, and mark who heard someone (hears_). Each hearer then collects, in the order of
// its ties, what it heard (dialogue): the order of the products fixes their bits.
void PreventionSimulation::speak(size_t b, uint32_t t) {
  // The block's speakers first: their state, rows and ties are then read ahead of use (each is
  // a cache miss, and one speaker's reads depend on each other).
  uint32_t speakers[kBlockSize], count = 0;
  const uint8_t* programme = now_.programme.data();
  for (uint32_t q = blocks_[b].first; q < blocks_[b].last; ++q) {
    uint64_t eight;  // most agents are not partners: skip them eight at a time
    if (q + 8 <= blocks_[b].last && (std::memcpy(&eight, programme + q, 8), eight == 0)) {
      q += 7;
      continue;
    }
    if (programme[q] != 0) speakers[count++] = q;
  }
  for (uint32_t n = 0; n < count; ++n) {
    const uint32_t q = speakers[n];
    __builtin_prefetch(&now_.status[q]), __builtin_prefetch(&present_degree_[q]);
    __builtin_prefetch(w_.network.neighbours(q).data());
  }
  for (uint32_t n = 0; n < count; ++n) {
    const uint32_t q = speakers[n];
    const uint8_t prog_number = programme[q];
    if (now_.status[q] != Status::present || !programme_active_[prog_number]) continue;
    // u < hear ⇔ the draw's word < heard_below (Rng::words_below); hear ≥ 1: every word.
    const uint64_t heard_below =
        Rng::words_below(m_.programmes[prog_number - 1].dialogues / present_degree_[q]);
    const std::span<const uint32_t> ties = w_.network.neighbours(q);
    for (size_t e = 0; e < ties.size(); e += kChunk) {  // the draws of up to kChunk ties at once
      uint32_t words[kChunk];
      const uint32_t m = static_cast<uint32_t>(std::min<size_t>(kChunk, ties.size() - e));
      rng_.uniform_bits_of(t, ties.data() + e, m, purpose::dialogue, q, words);
      for (uint32_t k = 0; k < m; ++k)  // an absent hearer does not apply what it heard
        if (words[k] < heard_below)
          std::atomic_ref<uint8_t>(hears_[ties[e + k]]).store(1, std::memory_order_relaxed);
    }
  }
}

// What present agent i (at position k of the chunk), who heard at least one partner, heard: the
// same draws as speak's, taken in the order of i's ties. Agent i joins the chunk's hearers.
void PreventionSimulation::dialogue(uint32_t i, uint32_t t, Chunk& c, uint32_t k) const {
  float unaware = 1, unable = 1, other = 1, distrust = 1;
  bool heard = false;
  for (uint32_t j : w_.network.neighbours(i)) {
    const uint8_t prog_number = now_.programme[j];
    if (prog_number == 0 || now_.status[j] != Status::present || !programme_active_[prog_number])
      continue;
    const PartnershipProgramme& prog = m_.programmes[prog_number - 1];
    const double hear = prog.dialogues / present_degree_[j];
    if (hear >= 1.0 || rng_.uniform(t, i, purpose::dialogue, j) < hear) {
      unaware *= prog.keep_unaware, unable *= prog.keep_unable;
      other *= prog.keep_other, distrust *= prog.keep_distrust;
      heard = true;
    }
  }
  if (!heard) return;
  c.keep_unaware[k] = unaware, c.keep_unable[k] = unable;
  c.keep_other[k] = other, c.keep_distrust[k] = distrust;
  c.hearer[c.hearers++] = k;
}

// Rules 1–6 for the agents of block b, a chunk at a time: what every agent reads of its
// neighbours and its own state at t into the chunk's arrays, then the rules in MODEL.md's order,
// then the state at t + 1 and the block's sums.
void PreventionSimulation::update_block(size_t b, uint32_t t, ChunkScratch& s) {
  const Block& block = blocks_[b];
  const PreventionParams& p = m_.params;
  const PreventionTraits& traits = traits_;
  BlockSums sums = sums_of(b);
  Chunk& c = s.chunk;
  far_ties_.fill(b, now_.x.data());  // the records of its ties to other communities
  for (uint32_t first = block.first; first < block.last; first += kChunk) {
    c.size = std::min(kChunk, block.last - first);
    load_chunk(first, t, s);
    const ChunkTraits tr{traits.trust.data() + first,     traits.efficacy.data() + first,
                         traits.threshold.data() + first, traits.at_risk.data() + first,
                         traits.leader.data() + first,    survivor_.data() + first};
    // 1. Social learning
    social_learning(p, tr, c);
    // 2. Proximity: a case close to home
    proximity(p, c);
    // 3. Outsider-led campaign exposure, the campaigns active at t in the arm's order
    for (size_t k = 0; k < m_.campaigns.size(); ++k) {
      const OutsiderCampaign& camp = m_.campaigns[k];
      if (!camp.active(t) || !camp.targets_community[block.community]) continue;
      uint32_t* words = s.exposure.data() + k * kChunk;
      rng_.uniform_bits(t, first, c.size, purpose::exposure, camp.draw_index, words);
      const Exposures n = campaign_exposure(camp, words, tr, c);
      sums.exposures[k] += n.all, sums.all.exposures += n.all, sums.at_risk.exposures += n.at_risk;
    }
    // 4. Partnership programme: end, attrition, recruitment; then dialogue
    programme_membership(first, t, s);
    dialogue_heard(c);
    // 5. Action decision
    action_decision(p, tr, c);
    // 6. Trafficking risk, absent agents, and the state at t + 1
    finish_chunk(first, t, s, sums);
  }
  store(b, sums);
}

// The chunk's state at t, the sums over its agents' ties, and the dialogue each present agent
// hears. What the rules compute for an absent agent is not kept: its own values are restored
// from where they were kept when it left (absent_agents).
void PreventionSimulation::load_chunk(uint32_t first, uint32_t t, ChunkScratch& s) {
  Chunk& c = s.chunk;
  const uint32_t* columns = nullptr;  // without ties between communities, the network's own
  if (far_ties_.halo_size() != 0)
    far_ties_.columns(first, c.size, s.columns), columns = s.columns.data();
  sum_over_neighbours(w_.network, now_.x.data(), first, c.size, s.sums,
                      gather_order_.data() + first, columns);
  const ChunkInputs in{now_.x.data() + first,          s.sums,
                       now_.status.data() + first,     now_.engaged_flag.data() + first,
                       present_degree_.data() + first, engaged_nb_.data() + first,
                       near_until_.data() + first};
  unpack_chunk(in, static_cast<int32_t>(t), c);
  uint8_t* hears = hears_.data() + first;
  for (uint32_t k = 0; k < c.size; ++k) {
    if (!hears[k]) continue;
    hears[k] = 0;
    if (c.present[k]) dialogue(first + k, t, c, k);
  }
}

// Rule 4 up to dialogue, per agent (partners and recruits are few): programme end, attrition,
// and co-definition on joining.
void PreventionSimulation::programme_membership(uint32_t first, uint32_t t, ChunkScratch& s) {
  Chunk& c = s.chunk;
  const uint8_t* was = now_.programme.data() + first;
  const uint8_t* recruit = recruit_.data() + first;
  std::copy(was, was + c.size, s.programme);
  for (uint32_t k = 0; k < c.size; ++k) {  // partners and recruits: few
    if ((was[k] | recruit[k]) == 0 || !c.present[k]) continue;
    const uint32_t i = first + k;
    uint8_t programme = was[k];
    if (programme != 0 && !programme_active_[programme]) programme = 0;  // programme ended
    if (programme != 0) {
      const PartnershipProgramme& prog = m_.programmes[programme - 1];
      if (rng_.uniform(t, i, purpose::attrition, prog.draw_index) < prog.params.attrition)
        programme = 0;
    }
    if (recruit_[i] != 0) {
      programme = recruit_[i];
      recruit_[i] = 0;
      join(m_.programmes[programme - 1], c.a[k], c.o[k], c.t[k], c.f[k]);
    }
    s.programme[k] = programme;
  }
  for (uint32_t k = 0; k < c.size; ++k) c.partner[k] = s.programme[k] != 0;
}

// Rule 6 for the present at-risk agents, departures and returns (few agents: what they become
// goes into the chunk's arrays and s.status), then each agent's state at t + 1 and the block's
// sums, in a loop without calls.
void PreventionSimulation::finish_chunk(uint32_t first, uint32_t t, ChunkScratch& s,
                                        BlockSums& sums) {
  Chunk& c = s.chunk;
  Tally flows_all, flows_at_risk;  // rule 6's approaches, prevented, exploited and reports
  for (uint32_t k = 0; k < c.size; ++k) s.status[k] = now_.status[first + k];
  trafficking_risk(first, t, s, flows_all, flows_at_risk);
  absent_agents(first, t, s);
  // The loop over every agent has no calls and reads and writes through local pointers, so the
  // compiler keeps the sums of attitudes in registers (a store to a byte of the state may change
  // anything reached from `this` or whose address was passed on: they went through memory at
  // every agent). Same additions in the same order; adding 0 for an absent agent changes no bit.
  double a = sums.all.a, o = sums.all.o, tr = sums.all.t, f = sums.all.f;
  double risk_a = sums.at_risk.a, risk_o = sums.at_risk.o, risk_t = sums.at_risk.t,
         risk_f = sums.at_risk.f;
  uint32_t changes = sums.changes;
  uint32_t* changed = sums.changed;
  uint64_t* partners = sums.partners;
  const uint8_t* is_at_risk = traits_.at_risk.data() + first;
  const Status* was = now_.status.data() + first;
  const uint8_t* was_engaged = now_.engaged_flag.data() + first;
  const AgentState::Slice next = next_.from(first);
  Attitudes* frozen = frozen_.data() + first;
  for (uint32_t k = 0; k < c.size; ++k) {
    const Status is = s.status[k];
    const Attitudes v{c.a[k], c.o[k], c.t[k], c.f[k]};
    if (is != Status::present) frozen[k] = v;
    const NeighbourRecord r = next.set(k, v, c.engaged[k] != 0, s.programme[k], is);  // t + 1
    if (is != was[k] || next.engaged_flag[k] != was_engaged[k]) changed[changes++] = first + k;
    a += r.lane[lane::a], o += r.lane[lane::o], tr += r.lane[lane::t], f += r.lane[lane::f];
    // The at-risk sums add 0 for the others (no branch to mispredict for 12% of agents).
    const NeighbourRecord risk = is_at_risk[k] ? r : NeighbourRecord{};
    risk_a += risk.lane[lane::a], risk_o += risk.lane[lane::o];
    risk_t += risk.lane[lane::t], risk_f += risk.lane[lane::f];
    if (s.programme[k] != 0) ++partners[s.programme[k]];  // by programme, for its cost
  }
  sums.all.a = a, sums.all.o = o, sums.all.t = tr, sums.all.f = f;
  sums.at_risk.a = risk_a, sums.at_risk.o = risk_o, sums.at_risk.t = risk_t;
  sums.at_risk.f = risk_f;
  sums.changes = changes;
  count_states(first, c.size, next_, sums);
  sums.all.add(flows_all), sums.at_risk.add(flows_at_risk);  // counts; sums of zeros: no bit
}

// The counts of agents first … first + size − 1 in `state` into the block's sums (integers: in any
// order), in a loop the compiler vectorises.
void PreventionSimulation::count_states(uint32_t first, uint32_t size, const AgentState& state,
                                        BlockSums& sums) const {
  const uint8_t* is_at_risk = traits_.at_risk.data() + first;
  const uint8_t* engaged = state.engaged_flag.data() + first;
  const uint8_t* programme = state.programme.data() + first;
  const Status* status = state.status.data() + first;
  uint32_t present = 0, is_engaged = 0, is_partner = 0, away = 0, lost = 0;
  uint32_t risk_present = 0, risk_engaged = 0, risk_partner = 0, risk_away = 0, risk_lost = 0;
  for (uint32_t k = 0; k < size; ++k) {
    const uint32_t p = status[k] == Status::present, e = engaged[k], q = p & (programme[k] != 0);
    const uint32_t w = status[k] == Status::away, l = status[k] == Status::lost;
    const uint32_t risk = is_at_risk[k];
    present += p, is_engaged += e, is_partner += q, away += w, lost += l;
    risk_present += p & risk, risk_engaged += e & risk, risk_partner += q & risk;
    risk_away += w & risk, risk_lost += l & risk;
  }
  sums.all.present += present, sums.all.engaged += is_engaged, sums.all.partners += is_partner;
  sums.all.away += away, sums.all.lost += lost;
  sums.at_risk.present += risk_present, sums.at_risk.engaged += risk_engaged;
  sums.at_risk.partners += risk_partner, sums.at_risk.away += risk_away;
  sums.at_risk.lost += risk_lost;
}

// 6. Trafficking risk: each present at-risk agent is approached with probability λ_c (a chunk
//    lies in one community). The draws of those agents (few) in one batch: u < λ_c ⇔ word <
//    words_below(λ_c).
void PreventionSimulation::trafficking_risk(uint32_t first, uint32_t t, ChunkScratch& s, Tally& all,
                                            Tally& at_risk_tally) {
  Chunk& c = s.chunk;
  const PreventionParams& p = m_.params;
  const auto begin = std::lower_bound(at_risk_agents_.begin(), at_risk_agents_.end(), first);
  const auto end = std::lower_bound(begin, at_risk_agents_.end(), first + c.size);
  const uint32_t* listed = at_risk_agents_.data() + (begin - at_risk_agents_.begin());
  const uint32_t count = static_cast<uint32_t>(end - begin);
  rng_.uniform_bits_of(t, listed, count, purpose::approach, 0, s.approach_words);
  const uint64_t approached_below = Rng::words_below(lambda_[community_of(first)]);
  for (uint32_t n = 0; n < count; ++n) {
    const uint32_t i = listed[n], k = i - first;
    if (s.approach_words[n] >= approached_below || !c.present[k]) continue;
    ++all.approaches, ++at_risk_tally.approaches;
    // P_self = self_protection·a·(1 − o)
    const double p_self = p.self_protection * c.a[k] * (1.0 - c.o[k]);
    const uint32_t G = static_cast<uint32_t>(c.engaged_nb[k]);  // engaged present neighbours
    const double p_guard = 1.0 - std::pow(1.0 - p.guardian_protection, G);
    const double p_protect = 1.0 - (1.0 - p_self) * (1.0 - p_guard);
    if (rng_.uniform(t, i, purpose::protection, 0) < p_protect) {
      ++all.prevented, ++at_risk_tally.prevented;
      for (uint32_t g = 0; g < G; ++g)  // each guardian reports with report_probability
        if (rng_.uniform(t, i, purpose::report, g) < p.report_probability)
          ++all.reports, ++at_risk_tally.reports;  // approached agents are all at risk
    } else {
      ++all.exploited, ++at_risk_tally.exploited;
      s.status[k] = Status::away;
      exploited_at_[i] = static_cast<int32_t>(t);
      s.programme[k] = 0;  // an exploited partner stops being a partner
      c.engaged[k] = 0;    // away agents do not act
    }
  }
}

// Away and lost agents are frozen; away for exploitation_steps transitions, then back with
// probability return_probability.
void PreventionSimulation::absent_agents(uint32_t first, uint32_t t, ChunkScratch& s) {
  Chunk& c = s.chunk;
  const PreventionParams& p = m_.params;
  for (uint32_t k = 0; k < c.size; ++k) {
    if (c.present[k]) continue;
    const uint32_t i = first + k;
    Attitudes v = frozen_[i];
    c.engaged[k] = now_.engaged(i), s.programme[k] = now_.programme[i];
    if (s.status[k] == Status::away &&
        static_cast<int64_t>(t) - exploited_at_[i] >= p.exploitation_steps) {
      if (rng_.uniform(t, i, purpose::return_home, 0) < p.return_probability) {
        s.status[k] = Status::present;  // a return is a case close to home too (rule 2)
        survivor_[i] = 1;
        v.a = std::max(v.a,
                       static_cast<float>(p.survivor_awareness));  // a ← max(a, survivor_awareness)
        v.o = std::min(v.o,
                       static_cast<float>(p.survivor_otherness));  // o ← min(o, survivor_otherness)
      } else {
        s.status[k] = Status::lost;
      }
    }
    c.a[k] = v.a, c.o[k] = v.o, c.t[k] = v.t, c.f[k] = v.f;
  }
}

PreventionSimulation::BlockSums PreventionSimulation::sums_of(size_t b) {
  uint64_t* exposures = block_exposures_.data() + b * m_.campaigns.size();
  uint64_t* partners = block_partners_.data() + b * (m_.programmes.size() + 1);
  std::fill(exposures, exposures + m_.campaigns.size(), 0);
  std::fill(partners, partners + m_.programmes.size() + 1, 0);
  return {Tally{}, Tally{}, exposures, partners, changed_.data() + blocks_[b].first};
}

void PreventionSimulation::store(size_t b, const BlockSums& sums) {
  block_all_[b] = sums.all, block_at_risk_[b] = sums.at_risk;
  block_changes_[b] = sums.changes;
}

// One transition t: the state at t becomes the state at t + 1 (MODEL.md "One step").
void PreventionSimulation::step(uint32_t t) {
  // Which programmes are active at t (an inactive programme neither recruits, talks nor costs).
  for (size_t k = 1; k <= m_.programmes.size(); ++k)
    programme_active_[k] = m_.programmes[k - 1].active(t);

  // 4. Recruitment reads the state at t, so it is chosen before any agent updates; programmes
  //    in the arm's order, an agent belongs to at most one.
  for (size_t k = 1; k <= m_.programmes.size(); ++k)
    if (programme_active_[k])
      choose_recruits(m_.programmes[k - 1], static_cast<uint8_t>(k), t, blocks_, w_, now_,
                      weight_class_, rng_, recruitment_scratch_, recruit_);

  // 4. Dialogue: who hears which partner, from the speakers' side.
  tbb::parallel_for(size_t{0}, blocks_.size(), [&](size_t b) { speak(b, t); });

  // Rules 1–6 for every agent, reading the state at t and writing its own state at t + 1.
  tbb::parallel_for(size_t{0}, blocks_.size(),
                    [&](size_t b) { update_block(b, t, chunk_scratch_.local()); });

  // 6. Deterrence, once per step and community:
  //    λ ← (λ + deterrence_recovery · (approach_rate − λ)) · (1 − deterrence)^(reports this step)
  Tally all, at_risk;
  sum_communities(community_all_, community_at_risk_, all, at_risk);
  const PreventionParams& p = m_.params;
  for (uint32_t c = 0; c < L_.communities(); ++c)
    lambda_[c] = (lambda_[c] + p.deterrence_recovery * (p.approach_rate - lambda_[c])) *
                 std::pow(1.0 - p.deterrence, static_cast<double>(community_all_[c].reports));

  // 7. Costs of the active interventions this step.
  for (size_t k = 0; k < m_.campaigns.size(); ++k) {
    const OutsiderCampaign& camp = m_.campaigns[k];
    if (!camp.active(t)) continue;
    uint64_t exposures = 0;
    for (size_t b = 0; b < blocks_.size(); ++b)
      exposures += block_exposures_[b * m_.campaigns.size() + k];
    // campaign cost = fixed_per_step + per_contact × exposures + per_community_step × communities
    cost_ += camp.cost_fixed_per_step + camp.cost_per_contact * static_cast<double>(exposures) +
             camp.cost_per_community_step * static_cast<double>(camp.target_communities);
  }
  for (size_t k = 1; k <= m_.programmes.size(); ++k) {
    if (!programme_active_[k]) continue;
    uint64_t partners = 0;
    for (size_t b = 0; b < blocks_.size(); ++b)
      partners += block_partners_[b * (m_.programmes.size() + 1) + k];
    const PartnershipProgramme& prog = m_.programmes[k - 1];
    // programme cost = fixed_per_step + per_partner_step × partners + per_community_step ×
    // communities
    cost_ += prog.cost_fixed_per_step + prog.cost_per_partner_step * static_cast<double>(partners) +
             prog.cost_per_community_step * static_cast<double>(prog.communities.size());
  }

  exploited_ += all.exploited, prevented_ += all.prevented, approaches_ += all.approaches;
  engaged_final_ = all.present ? double(all.engaged) / all.present : 0.0;
  engaged_peak_ = std::max(engaged_peak_, engaged_final_);

  bool changed = false;
  for (uint32_t n : block_changes_) changed |= n != 0;
  if (changed) after_changes(t);
  now_.swap(next_);
}

// What the neighbours of those who changed at t read at t + 1: deg* and the engaged count of
// their neighbours change; and an exploitation or a return is a case close to home for
// their neighbours and household in t + 1 … t + window.
void PreventionSimulation::after_changes(uint32_t t) {
  const int32_t until = static_cast<int32_t>(t) + m_.params.proximity_window;
  auto add = [](std::vector<uint32_t>& count, uint32_t j, int delta) {
    if (delta != 0) std::atomic_ref<uint32_t>(count[j]).fetch_add(static_cast<uint32_t>(delta));
  };
  tbb::parallel_for(size_t{0}, blocks_.size(), [&](size_t b) {
    const uint32_t* changed = changed_.data() + blocks_[b].first;
    for (uint32_t n = 0; n < block_changes_[b]; ++n) {
      const uint32_t i = changed[n];
      const Status was = now_.status[i], is = next_.status[i];
      const int present = int{is == Status::present} - int{was == Status::present};
      const int engaged = int{next_.engaged(i)} - int{now_.engaged(i)};
      // An exploitation (present → away) or a return (away → present); not a loss.
      const bool is_case =
          was != is && (is == Status::away || (was == Status::away && is == Status::present));
      // Integer sums and one common value stored: the result does not depend on the order.
      for (uint32_t j : w_.network.neighbours(i)) {
        add(present_degree_, j, present), add(engaged_nb_, j, engaged);
        if (is_case) std::atomic_ref<int32_t>(near_until_[j]).store(until);
      }
      if (!is_case) continue;
      if (is == Status::present) mark_survivor(i);  // a return: i is a survivor from now on
      const uint32_t h = L_.household[i];
      for (uint32_t j = L_.household_start[h]; j < L_.household_start[h + 1]; ++j)
        if (j != i) std::atomic_ref<int32_t>(near_until_[j]).store(until);
    }
  });
}

// Agent i is a survivor: its weight class, and its household's (another member is one). Bits are
// only set, by atomic or, so the order of concurrent marks does not matter.
void PreventionSimulation::mark_survivor(uint32_t i) {
  std::atomic_ref<uint8_t>(weight_class_[i]).fetch_or(weight_bit::survivor);
  const uint32_t h = L_.household[i];
  for (uint32_t j = L_.household_start[h]; j < L_.household_start[h + 1]; ++j)
    if (j != i) std::atomic_ref<uint8_t>(weight_class_[j]).fetch_or(weight_bit::family);
}

void PreventionSimulation::sum_communities(std::vector<Tally>& all_by_c,
                                           std::vector<Tally>& at_risk_by_c, Tally& all,
                                           Tally& at_risk) const {
  std::fill(all_by_c.begin(), all_by_c.end(), Tally{});
  std::fill(at_risk_by_c.begin(), at_risk_by_c.end(), Tally{});
  for (size_t b = 0; b < blocks_.size(); ++b) {  // blocks in agent order: a fixed order
    all_by_c[blocks_[b].community].add(block_all_[b]);
    at_risk_by_c[blocks_[b].community].add(block_at_risk_[b]);
  }
  for (uint32_t c = 0; c < L_.communities(); ++c)
    all.add(all_by_c[c]), at_risk.add(at_risk_by_c[c]);
}

void PreventionSimulation::observe(Observation& row) const {
  double mean_lambda = 0;
  for (double l : lambda_) mean_lambda += l;
  mean_lambda /= static_cast<double>(lambda_.size());
  Tally all, at_risk;
  for (uint32_t c = 0; c < L_.communities(); ++c)
    all.add(community_all_[c]), at_risk.add(community_at_risk_[c]);
  all.write([&](size_t m, double v) { row.series[m] = v; });
  at_risk.write([&](size_t m, double v) { row.subgroup[m] = v; });
  row.series[kApproachRate] = row.subgroup[kApproachRate] = mean_lambda;
  row.series[kCost] = row.subgroup[kCost] = cost_;
  if (row.communities.empty()) return;
  const uint32_t C = L_.communities();
  for (uint32_t c = 0; c < C; ++c) {
    community_all_[c].write([&](size_t m, double v) { row.communities[m * C + c] = float(v); });
    row.communities[kApproachRate * C + c] = static_cast<float>(lambda_[c]);
    row.communities[kCost * C + c] = static_cast<float>(cost_);
  }
}

std::vector<double> PreventionSimulation::totals() const {
  const double rate = approaches_ ? double(prevented_) / double(approaches_) : std::nan("");
  return {double(exploited_),
          double(prevented_),
          double(approaches_),
          rate,
          engaged_final_,
          engaged_peak_,
          cost_};
}

std::vector<Column> PreventionSimulation::snapshot() const {
  const uint32_t n = L_.agents;
  auto column = [&](std::string name, Column::Type type, auto value) {
    Column col{std::move(name), type, std::vector<double>(n)};
    for (uint32_t i = 0; i < n; ++i) col.values[i] = static_cast<double>(value(i));
    return col;
  };
  using T = Column::Type;
  const PreventionTraits& tr = traits_;
  return {
      column("agent", T::u32, [](uint32_t i) { return i; }),
      column("community", T::u32, [&](uint32_t i) { return L_.community[i]; }),
      column("household", T::u32, [&](uint32_t i) { return L_.household[i]; }),
      column("at_risk", T::u8, [&](uint32_t i) { return tr.at_risk[i]; }),
      column("leader", T::u8, [&](uint32_t i) { return tr.leader[i]; }),
      column("survivor", T::u8, [&](uint32_t i) { return survivor_[i]; }),
      column("status", T::u8, [&](uint32_t i) { return static_cast<uint8_t>(now_.status[i]); }),
      column("awareness", T::f32, [&](uint32_t i) { return attitudes(i).a; }),
      column("otherness", T::f32, [&](uint32_t i) { return attitudes(i).o; }),
      column("trust", T::f32, [&](uint32_t i) { return attitudes(i).t; }),
      column("efficacy", T::f32, [&](uint32_t i) { return attitudes(i).f; }),
      column("engaged", T::u8, [&](uint32_t i) { return now_.engaged(i); }),
      column("partner", T::u8, [&](uint32_t i) { return now_.programme[i] != 0; }),
      column("programme", T::u8, [&](uint32_t i) { return now_.programme[i]; }),
      column("threshold", T::f32, [&](uint32_t i) { return tr.threshold[i]; }),
      column("trust0", T::f32, [&](uint32_t i) { return tr.trust[i]; }),
      column("f0", T::f32, [&](uint32_t i) { return tr.efficacy[i]; }),
  };
}

}  // namespace

std::unique_ptr<Model> make_prevention_model(const Scenario& scenario, const ArmConfig& arm) {
  return std::make_unique<PreventionModel>(scenario, arm);
}

}  // namespace fourp::models
