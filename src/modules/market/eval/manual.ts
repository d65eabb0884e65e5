/**
 * Relevance judgements made by reading (issue 7: Chinese project titles of the seed table
 * against English project descriptions and technology offers).
 *
 * How they were made, per Chinese title (`cz:<row>` of changzhou_key_country_projects.csv):
 * 1. the judge wrote English search patterns from his own reading of the Chinese title
 *    (`probe`, recorded below) — never from the matcher's output, so that the matcher's
 *    vocabulary cannot decide what is relevant;
 * 2. the patterns were searched (case-insensitive regular expressions) in the titles,
 *    keywords and objectives of the whole collection (eval/collection.ts);
 * 3. every hit was read and graded: 2 — the same technology or problem (a partner for exactly
 *    this need); 1 — the same product or technology area, or the same disease area (worth
 *    showing); unlisted — not relevant.
 * Titles with no relevant document in the collection are listed with an empty `docs` and
 * are not used as cross-lingual queries (recall is undefined without a relevant document).
 *
 * Chinese ↔ Chinese judgements (`zh`) were made by reading the 30 titles against each other:
 * 2 for the same technology, 1 for the same product area.
 */
export interface ManualJudgement {
  row: number;
  /** The English patterns searched, from the judge's reading of the title. */
  probe: string;
  /** English documents with their grade. */
  docs: Record<string, 1 | 2>;
}

export const ZH_EN: readonly ManualJudgement[] = [
  { row: 0, probe: 'bcl-?2|apoptosis|anti-?cancer drug|anticancer|cancer', docs: { 'fp:eRaDicate': 1, 'fp:WINTHER': 1, 'fp:NO-CANCER-NET': 1 } },
  { row: 1, probe: 'focused ultrasound|HIFU|ultrasound ablation|liver cancer|hepatocellular|ultrasound|tumou?r ablation', docs: { 'cordis:894425': 1, 'cordis:813766': 1 } },
  { row: 2, probe: 'technology transfer (titles)|biomedical', docs: {} },
  { row: 3, probe: 'contract research|CRO|outsourc', docs: {} },
  { row: 4, probe: 'greenhouse|horticult|vertical farm|protected cultivation|crop yield|irrigation', docs: {} },
  { row: 5, probe: 'fire ?fight|rescue robot|fire', docs: { 'cordis:734875': 2, 'nasa:ARC-15487-1': 1 } },
  {
    row: 6,
    probe: 'selective emitter|screen print|solar cell|photovoltaic|PV',
    docs: { 'fp:CITYSOLAR': 1, 'fp:MolDesign': 1, 'nasa:MFS-32803-1': 1, 'nasa:LEW-18762-1': 1, 'nasa:ARC-16211-1': 1 },
  },
  { row: 7, probe: 'wireless sensor|sensor network|coal mine|mining safety|underground mine|mine|coal', docs: { 'nasa:LAR-18071-1': 1, 'nasa:LEW-18255-1': 1, 'fp:HiFreq': 1 } },
  {
    row: 8,
    probe: 'laser transfer|metalli[sz]ation|electrode print|laser.induced forward|solar cell|photovoltaic',
    docs: { 'fp:CITYSOLAR': 1, 'fp:MolDesign': 1, 'nasa:MFS-32803-1': 1, 'nasa:LEW-18762-1': 1, 'nasa:ARC-16211-1': 1 },
  },
  { row: 9, probe: 'wind turbine|wind energy|wind power|pitch control|wind farm|wind (titles)', docs: { 'cordis:101073554': 1, 'cordis:765585': 1, 'fp:POHOWEP': 1 } },
  { row: 10, probe: 'die steel|tool steel|hot.work|forging', docs: {} },
  { row: 11, probe: 'laser cladding|cladding|remanufactur|electrospark|laser metal deposition|additive repair', docs: {} },
  { row: 12, probe: 'wafer|thin.film thickness|film thickness|metrology|semiconductor', docs: { 'nasa:LAR-17554-1': 1, 'nasa:NPO-42466-1': 1 } },
  { row: 13, probe: 'GIS|geographic information|logistic|delivery|cloud computing|route planning|vehicle routing|fleet|freight|last.mile', docs: { 'cordis:861598': 1, 'cordis:861584': 1 } },
  {
    row: 14,
    probe: 'telescope|segmented mirror|phasing|wavefront|adaptive optics',
    docs: { 'nasa:MFS-31852-1': 2, 'nasa:MFS-31807-1': 2, 'nasa:GSC-15758-1': 1, 'nasa:GSC-16008-1': 1, 'nasa:GSC-15977-1': 1 },
  },
  { row: 15, probe: 'polysaccharide|thrombo|embol|anticoagul|heparin|glycan|carbohydrate|sulfated|stroke', docs: {} },
  { row: 16, probe: 'supercritical|crystalli|solubility|bioavailab|formulation|particle engineering|microni[sz]|pharmaceutical manufactur', docs: { 'cordis:101073089': 1, 'nasa:MFS-28985-1': 1, 'fp:Impentri': 1 } },
  { row: 17, probe: 'supercritical|crystalli|solubility|bioavailab|formulation|particle engineering|microni[sz]|pharmaceutical manufactur', docs: { 'cordis:101073089': 1, 'nasa:MFS-28985-1': 1, 'fp:Impentri': 1 } },
  { row: 18, probe: 'aneurysm|flow divert|stent|intracranial|neurovascular', docs: {} },
  { row: 19, probe: 'supercritical|crystalli|solubility|bioavailab|formulation|particle engineering|microni[sz]|pharmaceutical manufactur', docs: { 'cordis:101073089': 1, 'nasa:MFS-28985-1': 1, 'fp:Impentri': 1 } },
  {
    row: 20,
    probe: 'gear|gearbox|transmission system|drivetrain|wind turbine|wind power',
    docs: {
      'nasa:GSC-14207-1': 1,
      'nasa:GSC-14480-2': 1,
      'nasa:GSC-14603-1': 1,
      'nasa:GSC-14979-1': 1,
      'nasa:LEW-18340-1': 1,
      'nasa:LEW-18340-2': 1,
      'nasa:LEW-18516-1': 1,
      'cordis:101073554': 1,
      'cordis:765585': 1,
      'fp:POHOWEP': 1,
    },
  },
  { row: 21, probe: 'machine tool|CNC|machining|milling|lathe|precision machin|five.axis|spindle', docs: {} },
  { row: 22, probe: 'crane|hoist|lifting', docs: {} },
  { row: 23, probe: 'casting|foundry|electric motor|motor efficien', docs: {} },
  { row: 24, probe: 'food waste|kitchen waste|organic waste|biowaste|anaerobic digestion|compost|waste valori|waste treatment', docs: { 'cordis:641933': 1, 'cordis:101151552': 1 } },
  { row: 25, probe: 'CHO|antibod|biopharmaceutical|monoclonal|cell line', docs: { 'nasa:MSC-21947-1': 1 } },
  { row: 26, probe: 'collagen|haemosta|hemosta|wound dressing|biomaterial|scaffold', docs: { 'cordis:734156': 1, 'cordis:101183041': 1, 'cordis:734391': 1, 'nasa:LAR-17789-1': 1 } },
  { row: 27, probe: 'hepatocyte|liver|cirrhosis|cell transplant', docs: { 'cordis:813781': 1, 'cordis:894425': 1, 'nasa:ARC-14940-1': 1 } },
  { row: 28, probe: 'collagen|haemosta|hemosta|wound dressing|biomaterial|scaffold', docs: { 'cordis:734156': 1, 'cordis:101183041': 1, 'cordis:734391': 1, 'nasa:LAR-17789-1': 1 } },
  { row: 29, probe: 'rain sensor|wiper|windshield|windscreen|precipitation sensor', docs: {} },
];

/**
 * Chinese ↔ Chinese: pairs of seed titles (rows), both directions. 2: 超临界流体结晶 ×3,
 * 胶原蛋白海绵 ×2, the two solar-cell electrode printing projects; 1: wind turbine control and
 * wind gear transmission, gear transmissions of wind turbines and cranes, the two liver
 * therapies, the two biomedical service platforms, the two new-drug projects.
 */
export const ZH_ZH: readonly [number, number, 1 | 2][] = [
  [16, 17, 2],
  [16, 19, 2],
  [17, 19, 2],
  [26, 28, 2],
  [6, 8, 2],
  [9, 20, 1],
  [20, 22, 1],
  [1, 27, 1],
  [2, 3, 1],
  [0, 15, 1],
];
