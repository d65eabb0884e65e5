/**
 * Test fixtures. The English descriptions below were WRITTEN FOR THE TEST by the author of this
 * module (they are not real CORDIS abstracts): one per project of
 * demo/seed-tables/changzhou_key_country_projects.csv, in the order of that file, describing
 * the same project as an English-speaking partner might, without copying a translation.
 */
export const EN_DESCRIPTIONS: readonly string[] = [
  'Novel anticancer drug candidates that target the Bcl-2 family of apoptosis regulating proteins in tumour cells',
  'MRI-guided focused ultrasound ablation for the treatment of liver cancer, from research to commercial devices',
  'Capacity building for China–Israel biomedical technology transfer between hospitals, universities and companies',
  'An innovation service platform for contract research organisations supporting outsourced pharmaceutical R&D',
  'Smart high-yield greenhouses: climate control, irrigation and their dissemination to farmers',
  'Prototype of a firefighting and rescue robot for high-rise buildings and aerial platforms',
  'Narrow-line mask alignment printing for selective emitter solar cells',
  'Wireless sensor networks (WSN) for safety monitoring in underground coal mines',
  'Laser transfer printing line for metal electrodes of photovoltaic cells, developed together with an equipment maker',
  'Intelligent control of 3 MW variable-speed variable-pitch wind turbines: key technologies and field application',
  'Applied research on a new high-chromium hot-work die steel (HHD) for forging tools',
  'Remanufacturing of worn parts by laser cladding and electrospark deposition',
  'Fast, high-precision online measurement of metal film thickness on semiconductor wafers',
  'A cloud-based mobile real-time GIS for logistics and delivery routing',
  'Phase error correction and compensation for segmented multi-mirror telescopes',
  'Polysaccharide drugs for preventing and treating thrombotic and embolic diseases, developed with international partners',
  'Joint development of supercritical fluid technology for crystallising pharmaceutical compounds',
  'Supercritical fluid crystallisation to improve the bioavailability of poorly soluble drugs',
  'A new flow diverter device for intracranial aneurysm treatment, designed with clinicians',
  'Crystallisation of ezetimibe with supercritical carbon dioxide',
  'Gear transmission systems for wind power: a product series and its industrial production',
  'Inverted vertical CNC machine tools developed with a German machine builder',
  'Transmission equipment for construction cranes: licensing key technology and starting production',
  'Foundry technology for high-efficiency electric motor castings with Siemens',
  'Integrated treatment and recycling of food waste from restaurants and canteens',
  'High-expression CHO cell lines and industrial processes for therapeutic antibody manufacturing',
  'Medical collagen sponges: technology transfer of the preparation process and new product development',
  'Autologous hepatocyte transplantation as a therapy for liver cirrhosis',
  'Collagen sponge for haemostasis in surgery: transferring the manufacturing technology',
  'Rain sensor that automatically controls vehicle wipers',
];

/** English profiles unrelated to the seed projects, to make retrieval less trivial (also written for the test). */
export const EN_DISTRACTORS: readonly string[] = [
  'Blockchain platform for supply-chain finance in small and medium enterprises',
  'Low-cost water desalination by reverse osmosis membranes',
  'Machine translation of legal documents with neural networks',
  'Precision agriculture drones for crop spraying',
  'Hydrogen fuel cell buses for urban public transport',
  'Recycling of lithium-ion batteries by hydrometallurgy',
  'Early diagnosis of Alzheimer disease from blood biomarkers',
  'Digital twins for predictive maintenance of railway bridges',
  'Biodegradable packaging made from seaweed',
  'Quantum key distribution over metropolitan fibre networks',
  'Textile dyeing wastewater treatment with advanced oxidation',
  'Vaccine adjuvants from plant saponins',
  'Smart grid demand response for households',
  'Antimicrobial coatings for hospital surfaces',
  'Autonomous underwater vehicles for offshore pipeline inspection',
  'Gene therapy vectors for inherited retinal diseases',
  'Perovskite-silicon tandem solar modules',
  'Carbon capture with metal-organic frameworks',
  'Speech recognition for call-centre analytics',
  'Electric vehicle battery thermal management',
];
