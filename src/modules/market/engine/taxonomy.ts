/**
 * Technology areas (技术方向) under the fields of the shared technology-field taxonomy
 * (market.fields.ts: China's strategic emerging industries, 战略性新兴产业分类 2018, and the
 * Changzhou industries), each with a bilingual vocabulary written from the usual subject
 * classifications (the strategic-emerging-industry catalogue, OECD fields of science and
 * technology, IPC classes, MeSH disease categories). The matcher classifies every text — a
 * query, a profile, an English project that carries no field — into areas and fields with
 * these words, so that an offer in the same area matches a demand even when they share no
 * word: a collagen sponge and a biomaterial scaffold are both "regenerative medicine and
 * biomaterials", an anticancer drug and a cancer therapeutic both "oncology".
 *
 * Vocabulary rules: Chinese terms match as substrings (longest first, so 温室气体 is not 温室);
 * English terms match as Porter-stem sequences of the project tokenizer (so "tumours" is
 * "tumour"), and a term ending in `*` matches any stem starting with it ("oncolog*":
 * oncology, oncological). A term names its area unambiguously or is left out: 药 alone would
 * be 农药 (pesticide) too, "engine" is stemmed like "engineering", "plant" is a power plant.
 * An area whose code is its field's code holds words that tell only the field.
 */
export interface TechArea {
  code: string;
  /** Its field's code in market.fields.ts. */
  field: string;
  zh: string;
  en: string;
  terms: { zh: readonly string[]; en: readonly string[] };
}

const area = (code: string, field: string, zh: string, en: string, zhTerms: string, enTerms: string): TechArea => ({
  code,
  field,
  zh,
  en,
  terms: { zh: zhTerms.split(/\s+/).filter(Boolean), en: enTerms.split(',').map((t) => t.trim()).filter(Boolean) },
});

export const TECH_AREAS: readonly TechArea[] = [
  // ------------------------------------------------------------------ 生物医药 biomedicine
  area('biomedicine', 'biomedicine', '生物医药', 'biomedicine', '医学 医药 疾病 患者 病人 临床 疗法 治疗 防治 药理', 'medicine, medical, disease*, patient*, clinical, clinician*, therapy, therapies, treatment*, cure, pharmacolog*'),
  area(
    'oncology',
    'biomedicine',
    '肿瘤与癌症',
    'oncology and cancer',
    '肿瘤 癌 白血病 淋巴瘤 黑色素瘤 骨髓瘤 肉瘤 胶质瘤 化疗 放疗 靶向治疗 癌变 癌细胞 抑癌 促癌 原癌基因',
    'cancer*, tumour*, tumor*, oncolog*, carcinoma*, leukaemia, leukemia, lymphoma*, melanoma*, myeloma, sarcoma*, glioma*, glioblastoma, metasta*, chemotherap*, radiotherap*, neoplas*, malignan*, carcinogen*, anticancer, antitumour, antitumor, oncogen*, tumorigen*, tumourigen*, cancerous',
  ),
  area(
    'cardiovascular',
    'biomedicine',
    '心脑血管疾病',
    'cardiovascular and cerebrovascular diseases',
    '心血管 心脑血管 脑血管 心脏 心肌 心衰 心力衰竭 冠心病 高血压 动脉 静脉 血管 血栓 栓塞 卒中 中风 脑梗 动脉瘤  动脉硬化 心律失常 出血 血液 血压 心梗 心肌梗死 瓣膜',
    'cardiovascular, cerebrovascular, cardiac, cardio*, heart, myocard*, coronary, hypertension, arteri*, artery, vascular, vein*, venous, thrombo*, embol*, stroke*, aneurysm*, atheroscler*, arrhythmi*, blood vessel*, haemorrhag*, hemorrhag*, anticoagula*, blood pressure, myocardial infarction, heart failure, atrial, ventric*, valvular, circulat*',
  ),
  area(
    'infectious_disease',
    'biomedicine',
    '感染与传染病',
    'infectious diseases',
    '感染 传染病 病毒 细菌 病原 抗菌 抗生素 耐药 疫苗 结核 艾滋病 疟疾 流感 肝炎 新冠 疫情 寄生虫 人畜共患 传染 抗病毒 抗感染 病菌 真菌 霉菌',
    'infect*, virus*, viral, antiviral, bacteri*, pathogen*, antimicrobial*, antibiotic*, vaccin*, tuberculosis, hiv, malaria, influenza, hepatitis, covid, coronavirus*, sars, epidemic*, pandemic*, parasit*, zoonos*, zoonotic, outbreak*, immunis*, immuniz*, fung*, antifung*, sepsis, septic, cholera, dengue, ebola, zika, measles, polio*, mycobacter*',
  ),
  area(
    'neuroscience',
    'biomedicine',
    '神经与精神健康',
    'neuroscience and mental health',
    '神经 脑科学 大脑 脑部 脑损伤 阿尔茨海默 帕金森 痴呆 癫痫 抑郁 精神疾病 精神卫生 自闭症 脊髓 神经退行 脑卒中 偏头痛 精神分裂',
    'neur*, brain*, alzheimer*, parkinson*, dementia, epilep*, psychiatr*, mental health, mental disorder*, schizophreni*, autism, autistic, spinal cord, cognitive decline, cognitive, dementias, migraine*, multiple sclerosis, als, neurodegenerat*',
  ),
  area(
    'chronic_disease',
    'biomedicine',
    '代谢、肝肾与慢性病',
    'metabolic, liver, kidney and chronic diseases',
    '肝 肾 肺 糖尿病 肥胖 代谢病 代谢性疾病          慢性病 哮喘 慢阻肺 呼吸系统疾病  骨质疏松 关节炎 自身免疫 炎症 消化系统 骨关节 消化 胃肠 肠道',
    'diabet*, obes*, metabolic disease*, metabolic disorder*, liver, hepat*, cirrho*, fibrosis, fibrotic, kidney*, renal, nephr*, chronic disease*, asthma*, copd, respiratory disease*, pulmonary, lung*, osteoporo*, arthritis, rheumat*, autoimmun*, inflammat*, gastro*, intestin*, osteo*, bone loss, gut, digestive, cystic fibrosis, muscular dystrophy, rare disease*, orphan disease*',
  ),
  area(
    'pharmaceutics',
    'biomedicine',
    '药物研发与制剂',
    'drug discovery and pharmaceutics',
    '药物 新药 制药 药品 原料药 制剂 仿制药 创新药 化学药 中药 中医药 天然药物 药效 药代动力学 给药 缓释 控释 靶点 先导化合物 临床试验 临床前 溶解度 生物利用度 辅料 片剂 注射剂 药学 用药 药剂 药用 疗效 剂型 胶囊 注射 口服 递送 纳米药物',
    'drug*, pharmaceut*, pharmacy, medicines, medicinal, therapeutic*, formulation*, dosage, drug delivery, bioavailab*, solubility, active pharmaceutical ingredient*, generic drug*, clinical trial*, preclinical, lead compound*, drug target*, small molecule*, inhibitor*, pharmacokinetic*, excipient*, tablet*, nanomedicine*, prodrug*, drug discovery, druggable, capsule*, injectable*, dose, doses, dosing, delivery system*, pharmacolog*, therapeutic agent*, drug candidate*, medication*, pharmacopoe*, repurpos*',
  ),
  // ------------------------------------------------------------------ 医疗器械 medical devices
  area(
    'medical_devices',
    'medical_devices',
    '医疗器械',
    'medical devices',
    '医疗器械 医疗设备 医用 医院',
    'medical device*, medical equipment, medical instrument*, hospital*',
  ),
  area(
    'imaging_diagnostics',
    'medical_devices',
    '医学影像与诊断',
    'medical imaging and diagnostics',
    '医学影像 影像诊断 核磁共振 磁共振 超声诊断 超声成像 内窥镜 诊断 体外诊断 检测试剂 诊断试剂 生物标志物 病理 筛查 早期检测 显像 检测芯片 基因检测 分子诊断 影像学',
    'medical imaging, mri, magnetic resonance, tomograph*, x ray imaging, radiograph*, endoscop*, diagnos*, in vitro diagnostic*, biomarker*, patholog*, screening, point of care, radiolog*, ultrasound imaging, sonograph*, positron emission, ultrasonograph*, echograph*, scan, scanner*, computed tomography, molecular diagnostic*, assay*, biosensor*, theranostic*',
  ),
  area(
    'therapeutic_devices',
    'medical_devices',
    '治疗与手术器械',
    'therapeutic and surgical devices',
    '手术 外科 微创 介入 导管  植入式 起搏器 人工关节 假肢 呼吸机 监护  消融 放射治疗 透析 康复 助听 医疗机器人 手术机器人 人工器官 人工心脏 血管支架 输液',
    'surgery, surgical, surgeon*, minimally invasive, catheter*, stent*, interventional, implantable, pacemaker*, prosthe*, ventilator*, patient monitoring, ablation, dialysis, rehabilitat*, hearing aid*, orthopaedic*, orthopedic*, medical robot*, surgical robot*, artificial organ*, artificial heart*, infusion, orthos*, neurostimulat*, deep brain stimulation, cochlear implant*, insulin pump*, defibrillat*',
  ),
  area(
    'digital_health',
    'medical_devices',
    '数字健康与医疗服务',
    'digital health and health care',
    '健康 卫生 医疗服务 护理 养老 远程医疗 移动医疗 健康管理 公共卫生 可穿戴 康养 医保 诊疗 医护 老年 老龄 健康数据',
    'health*, healthcare, nursing, elderly, ageing, aging, telemedicine, telehealth, ehealth, mhealth, public health, epidemiolog*, wearable*, care home*, well being, wellbeing, ageing population, active ageing, long term care, integrated care, personalised medicine, personalized medicine, precision medicine, patient data, health data, electronic health record*',
  ),
  // ------------------------------------------------------------------ 生物技术 biotechnology
  area('biotechnology', 'biotechnology', '生物技术', 'biotechnology', '生物技术 生物工程 生物学 生命科学', 'biotechnolog*, biotech, bioengineer*, biology, biological, life science*'),
  area(
    'genomics',
    'biotechnology',
    '基因组学与分子生物学',
    'genomics and molecular biology',
    '基因 基因组 测序 转录组 蛋白质组 组学 分子生物学 核酸 基因编辑 合成生物学 生物信息 表观遗传 遗传 遗传学 突变 基因表达 转基因 克隆',
    'gene, genes, genetic*, genom*, sequencing, transcriptom*, proteom*, metabolom*, omics, molecular biology, nucleic acid*, dna, rna, gene editing, crispr, synthetic biology, bioinformatic*, epigenet*, heredit*, genetics, mutat*, gene expression, transgen*, genotyp*, phenotyp*, microrna*, mirna*, sirna, transcription factor*',
  ),
  area(
    'biologics',
    'biotechnology',
    '生物药、抗体与细胞治疗',
    'biologics, antibodies and cell therapy',
    '抗体 单抗 单克隆 蛋白药物 重组蛋白 生物药 生物制品 生物类似药 细胞株   免疫 免疫治疗 细胞治疗  干细胞 细胞培养 蛋白 细胞因子 多肽 血浆 血液制品 胰岛素',
    'antibod*, monoclonal, biologic, biologics, biopharmaceut*, biosimilar*, recombinant, protein expression, cell line*, immun*, immunotherap*, cell therap*, stem cell*, cell culture*, protein*, peptide*, cytokine*, plasma derived, insulin, interleukin*, interferon*, enzyme replacement',
  ),
  area(
    'regenerative_biomaterials',
    'biotechnology',
    '再生医学与生物材料',
    'regenerative medicine and biomaterials',
    '再生医学 组织工程 组织修复 生物材料 胶原 明胶 壳聚糖 海藻酸 透明质酸 水凝胶 创面 伤口 敷料 止血 骨修复 软骨 皮肤 器官移植 移植 植入物 生物相容 可吸收 人工皮肤 骨科材料 医用材料 医用高分子 再生',
    'regenerative medicine, regenerat*, tissue engineer*, tissue repair, biomateri*, scaffold*, collagen*, gelatin*, chitosan, alginate*, hyaluron*, hydrogel*, wound*, wound dressing*, haemosta*, hemosta*, implant*, bone, cartilage, skin, transplant*, biocompat*, bioresorbable, extracellular matrix, osteo* regenerat*, bone graft*, bone substitute*, tissue regenerat*, organoid*, bioprint*, biofabricat*, medical material*, wound heal*',
  ),
  area(
    'industrial_biotech',
    'biotechnology',
    '工业生物技术与发酵',
    'industrial biotechnology and fermentation',
    '发酵 酶 生物催化 生物反应器 微生物 菌种 菌株 生物制造 生物基 生物炼制 代谢工程 生物化工 生物转化 合成生物',
    'ferment*, enzym*, biocatal*, bioreactor*, microb*, microorganism*, yeast*, strain engineering, biomanufactur*, bio based, biobased, biorefiner*, metabolic engineering, bioprocess*, biotransform*, bioconver*, cell factor*, microalga*, algae, algal',
  ),
  // ------------------------------------------------------------------ 智能制造 intelligent manufacturing
  area('intelligent_manufacturing', 'intelligent_manufacturing', '智能制造与装备', 'intelligent manufacturing and equipment', '制造 装备 设备制造 工业 生产工艺', 'manufactur*, industrial, production process*, factory, factories'),
  area(
    'machine_tools',
    'intelligent_manufacturing',
    '数控机床与精密加工',
    'machine tools and precision machining',
    '数控 机床 加工中心 切削 磨削 铣削 车削 精密加工 超精密 刀具 模具 主轴 夹具 机械加工 加工精度 数控系统',
    'cnc, numerical control, machine tool*, machining, cutting tool*, grinding, milling, lathe*, precision engineer*, ultra precision, ultraprecision, spindle*, die casting, mould*, tooling, numerically controlled, machining centre*, machining center*, five axis, precision machin*, drilling machine*',
  ),
  area(
    'materials_processing',
    'intelligent_manufacturing',
    '成形、焊接、增材与表面工程',
    'forming, joining, additive manufacturing and surface engineering',
    '铸造 铸件 锻造 焊接 热处理 增材制造 激光加工 熔覆 涂层 表面处理 表面工程 喷涂 沉积 再制造 粉末冶金 烧结 轧制 冲压 成形 成型 挤压 注塑 激光焊接 电镀 镀层',
    'casting*, foundr*, forging*, weld*, heat treatment*, additive manufactur*, 3d print*, laser processing, cladding, coating*, surface engineering, surface treatment*, thermal spray*, deposition, remanufactur*, powder metallurg*, sinter*, rolling mill*, stamping, extrusion, injection moulding, injection molding, electroplat*, plating, laser welding, brazing, soldering, thin film deposition, physical vapour deposition, chemical vapour deposition, pvd, metal forming, sheet metal',
  ),
  area(
    'automation_control',
    'intelligent_manufacturing',
    '工业自动化、控制与检测',
    'industrial automation, control and inspection',
    '自动化 自动控制 控制系统 智能控制 工业互联网 数字孪生 智能工厂 柔性制造 生产线 工业软件 质量检测 无损检测 机器视觉 故障诊断 预测性维护 状态监测 工业控制 监测系统 可编程 过程控制',
    'automat*, control system*, process control, intelligent control, industrial internet, industry 4.0, digital twin*, smart factor*, flexible manufactur*, production line*, assembly line*, machine vision, fault diagnos*, fault detection, condition monitoring, predictive maintenance, quality inspection, quality control, non destructive, nondestructive, metrolog*, plc, scada, supervisory control, feedback control, adaptive control, robust control, control algorithm*, controller*, servo*, mechatronic*',
  ),
  area(
    'mechanical_power',
    'intelligent_manufacturing',
    '机械传动与动力装备',
    'mechanical transmission and power machinery',
    '齿轮 传动 减速器 齿轮箱 变速箱 轴承 液压 气动 电机 电动机 发动机 内燃机 压缩机 泵 阀门 动力总成 涡轮 机械设计 发电机 传动系统 动力系统 机械装置 联轴器 离合器',
    'gear*, gearbox*, mechanical transmission, drivetrain*, powertrain*, bearing*, hydraulic*, pneumatic*, electric motor*, electrical machine*, motor drive*, combustion engine*, diesel engine*, compressor*, pump*, valve*, turbomachin*, turbine*, mechanical engineer*, tribolog*, generator*, transmission system*, drive train*, coupling*, clutch*, shaft*, actuation, kinemat*, vibration*',
  ),
  // ------------------------------------------------------------------ 机器人 robotics
  area('robotics', 'robotics', '机器人', 'robotics', '机器人 机械臂 机械手 外骨骼 人形 遥操作 无人系统 自主移动 协作机器人 灵巧手 特种机器人 仿生 机器狗 智能体 无人驾驶', 'robot*, manipulator*, robotic arm*, exoskeleton*, humanoid*, teleoperat*, unmanned system*, autonomous system*, mobile robot*, cobot*, gripper*, legged, swarm robot*, bionic*, biomimetic*, autonomous robot*, robotic system*, end effector*, teleoperation'),
  // ------------------------------------------------------------------ 太阳能光伏 photovoltaics
  area(
    'photovoltaics',
    'photovoltaics',
    '太阳能光伏',
    'solar photovoltaics',
    '光伏 太阳能 太阳电池 硅片 多晶硅 单晶硅 晶硅 薄膜电池 钙钛矿 异质结   逆变器 光热 聚光 光伏发电 光伏组件 光伏电站 太阳能板 晶体硅',
    'photovolta*, solar, solar cell*, silicon wafer*, polysilicon, monocrystalline, multicrystalline, thin film solar, perovskite*, heterojunction*, pv module*, pv, concentrated solar, csp, photovoltaic system*, solar panel*, solar module*, solar farm*, solar power, solar energy, crystalline silicon, tandem cell*, organic solar',
  ),
  // ------------------------------------------------------------------ 新能源 new energy
  area('new_energy', 'new_energy', '新能源', 'new energy', '新能源 能源 清洁能源 可再生能源 能源转型 能源系统 综合能源 能源互联网', 'energy, energies, renewable*, clean energy, energy transition, low carbon energy, energy system*, energy infrastructure, energy market*, energy supply, energy security'),
  area(
    'wind_energy',
    'new_energy',
    '风能',
    'wind energy',
    '风电 风能 风力发电 风电场 风电机组 海上风电 风力机 风资源 海上风',
    'wind power, wind energy, wind turbine*, wind farm*, offshore wind, wind generation, wind resource*, aerogenerator*, wind blade*, floating wind, wind park*, wind plant*',
  ),
  area('hydrogen', 'new_energy', '氢能与燃料电池', 'hydrogen and fuel cells', '氢能 氢气 制氢 储氢 加氢 燃料电池 电解水 电解槽 氢燃料 绿氢 氢储运', 'hydrogen, fuel cell*, electrolys*, electrolyser*, electrolyzer*, water splitting, power to gas, green hydrogen, hydrogen storage, hydrogen production, pem, proton exchange membrane, solid oxide'),
  area(
    'energy_storage',
    'new_energy',
    '储能与电池',
    'energy storage and batteries',
    '储能 电池 锂电 锂离子 动力电池 电池管理 超级电容 钠离子 固态电池 电化学 正极 负极 电解质 蓄电池 储电 电容器 电池材料 电芯',
    'energy storage, batter*, lithium, li ion, battery management, supercapacitor*, electrochem*, sodium ion, solid state batter*, anode*, cathode*, electrolyte*, redox flow, accumulator*, capacitor*, battery cell*, battery pack*, thermal energy storage, pumped storage, compressed air energy storage',
  ),
  area(
    'power_grid',
    'new_energy',
    '电网与电力电子',
    'power grids and power electronics',
    '电网 智能电网 输电 配电 变电 电力 电力电子 变频 变流器 微电网 特高压 电能质量 发电  节能电机 电气 电力系统 电缆 输变电 开关 电能',
    'power grid*, smart grid*, grid*, transmission line*, power distribution, substation*, electric power, power electronic*, converter*, inverter*, microgrid*, power system*, electricity, power generation, power plant*, high voltage, variable speed drive*, electrical engineering, cable*, switchgear*, transformer*, power cable*, electrical grid, distribution network*, demand response, power converter*, wire insulation',
  ),
  area(
    'bioenergy_other',
    'new_energy',
    '生物质、地热、水能与海洋能',
    'bioenergy, geothermal, hydro and ocean energy',
    '生物质 生物燃料 沼气 地热 水电 潮汐 波浪能 海洋能 生物能 秸秆 生物柴油 乙醇燃料',
    'biomass, biofuel*, biogas, bioenerg*, geotherm*, hydropower, hydroelectric*, tidal, wave energy, ocean energy, biodiesel, bioethanol, ethanol fuel, straw, wood pellet*, gasification, pyrolysis',
  ),
  area('nuclear', 'new_energy', '核能', 'nuclear energy', '核能 核电 核反应堆 反应堆 核聚变 核裂变 核燃料 核废料 核安全 核技术 辐射 放射性 同位素', 'nuclear, reactor*, fusion, fission, nuclear fuel, radioactiv*, tokamak*, plasma physics, radiation protection, radioisotope*, isotope*, nuclear waste, nuclear safety, decommission*'),
  // ------------------------------------------------------------------ 新能源汽车 vehicles
  area(
    'vehicles',
    'new_energy_vehicles',
    '汽车与新能源汽车',
    'vehicles and electric mobility',
    '汽车 车辆 车用 车载 整车 新能源汽车 电动汽车 电动车 混合动力 充电 充电桩 自动驾驶 智能网联 驾驶辅助 底盘 汽车零部件 零部件  车身 轮胎 发动机 变速器 刹车 制动 转向 车灯 车辆控制 客车 卡车',
    'vehicle*, automotive, automobile*, car, cars, electric vehicle*, hybrid vehicle*, charging, charging station*, autonomous driving, self driving, driver assist*, adas, connected vehicle*, chassis, internal combustion, tyre*, electromobility, truck*, lorry, lorries, bus, buses, brake*, braking, steering, motorcycle*, road vehicle*, passenger car*, heavy duty vehicle*, vehicle control, in vehicle, onboard',
  ),
  // ------------------------------------------------------------------ 轨道交通 rail
  area(
    'rail',
    'rail_transit',
    '轨道交通',
    'rail transport',
    '轨道交通 铁路 高铁 高速铁路 地铁 城轨 列车 动车 机车 磁悬浮 牵引 铁道 轨道车辆 铁路车辆 车轮 钢轨 道岔',
    'rail*, railway*, locomotive*, high speed rail, metro, tram, trams, tramway*, subway*, maglev, rolling stock, traction, train set*, trainset*, railroad*, light rail, rail vehicle*, wheelset*, pantograph*, signalling, interlocking, catenary',
  ),
  area(
    'transport_logistics',
    'other',
    '交通运输与物流',
    'transport and logistics',
    '交通 物流 配送 运输 供应链 仓储 港口 航运 智能交通 货运 快递 出行 道路 公路 汽车运输 集装箱 调度 路径规划 车队',
    'transport*, logistic*, freight, supply chain*, warehous*, port, ports, shipping, intelligent transport*, traffic, urban mobility, sustainable mobility, last mile, parcel*, fleet*, road transport, road safety, container*, routing, route planning, vehicle routing, dispatch*, intermodal, multimodal, co modal, cargo',
  ),
  // ------------------------------------------------------------------ 农机和工程机械 machinery
  area(
    'construction_machinery',
    'agricultural_machinery',
    '工程机械与起重',
    'construction and lifting machinery',
    '工程机械 起重机 起重 挖掘机 装载机 推土机 混凝土机械 叉车 盾构 吊装 升降 工程车辆 塔吊 桩机 履带',
    'crane*, excavator*, wheel loader*, bulldozer*, construction machinery, construction equipment, forklift*, tunnel boring, hoist*, lifting equipment, earthmoving, earth moving, heavy machinery, tower crane*, mobile crane*, crawler*, pile driver*, lifting machinery, hoisting',
  ),
  area(
    'agricultural_machinery',
    'agricultural_machinery',
    '农业机械',
    'agricultural machinery',
    '农机 农业机械 拖拉机 收割机 播种机 植保机械 农业装备 农用 农具 插秧机 植保无人机 农业机器人',
    'tractor*, harvester*, agricultural machinery, farm machinery, seeder*, sprayer*, agricultural equipment, agricultural machine*, agricultural robot*, farm equipment, combine harvester*, agricultural vehicle*, implements',
  ),
  // ------------------------------------------------------------------ 新材料 advanced materials
  area('new_materials', 'new_materials', '新材料', 'advanced materials', '新材料 材料 先进材料 功能材料 材料科学', 'material*, advanced material*, functional material*, materials science'),
  area(
    'metals',
    'new_materials',
    '金属材料与冶金',
    'metals and metallurgy',
    '合金 钢 不锈钢 铝合金 钛合金 高温合金 金属材料 冶金 稀土 有色金属 磁性材料 铸铁 铝 铜 钛 镍 镁 锌 金属 轻合金 硬质合金 模具钢 工具钢',
    'alloy*, steel*, stainless, alumin*, titanium, superalloy*, metallurg*, rare earth*, magnesium, nickel, copper, metal*, magnetic material*, cast iron, tool steel*, hot work, high strength steel*, light alloy*, zinc, tungsten, cobalt, intermetallic*, hardness',
  ),
  area(
    'polymers_composites',
    'new_materials',
    '高分子与复合材料',
    'polymers and composites',
    '高分子 聚合物 塑料 橡胶 树脂 复合材料 碳纤维 纤维 玻璃纤维 可降解 生物降解 胶粘剂 弹性体 聚酰亚胺 聚乙烯 聚丙烯 聚氨酯 聚酯 尼龙 环氧 硅胶 气凝胶 泡沫',
    'polymer*, plastic*, rubber*, resin*, composite*, carbon fibre*, carbon fiber*, fibre*, fiber*, biodegradab*, adhesive*, elastomer*, thermoplastic*, cellulose, biopolymer*, polyimide*, polyethylene, polypropylene, polyurethane*, polyester*, polyamide*, polycarbonate*, polystyrene, polyvinyl*, polylactic, epoxy*, silicone*, aerogel*, foam*, textile*, fabric*',
  ),
  area(
    'nanomaterials',
    'new_materials',
    '纳米与先进功能材料',
    'nanomaterials and advanced functional materials',
    '纳米 石墨烯 碳纳米管 量子点 薄膜 陶瓷 超导 智能材料 二维材料 多孔材料 膜材料 超材料 晶体 纳米材料 碳材料 碳纳米 富勒烯 单晶 晶体生长',
    'nano*, graphene, carbon nanotube*, quantum dot*, thin film*, ceramic*, superconduct*, smart material*, 2d material*, porous, membrane*, metamaterial*, crystal*, nanostruct*, nanowire*, nanotube*, nanoparticle*, nanocrystal*, fullerene*, crystal growth, single crystal*, carbon allotrope*',
  ),
  area(
    'chemicals',
    'new_materials',
    '化工与过程工程',
    'chemicals and process engineering',
    '化工 化学工程 化学品 催化 催化剂 精细化工 石化 分离 萃取 蒸馏 结晶  反应器 合成 溶剂  过程工程 化学 化学反应 反应工程 萃取分离 精馏 吸附 膜分离 化学合成',
    'chemical*, chemistry, catalys*, catalyt*, petrochem*, fine chemical*, separation, extraction, distillation, crystalli*, chemical reactor*, synthesis, synthetic route*, solvent*, process engineering, process intensification, green chemistry, flow chemistry, chemical process*, reaction engineer*, adsorption, absorption, crystallisation, particle engineering, chemical synthesis, organic synthesis, electrosynthesis, reagent*, oxidation, reduction reaction*',
  ),
  // ------------------------------------------------------------------ 新一代信息技术 ICT
  area('ict', 'ict', '新一代信息技术', 'information and communication technology', '信息技术 电子信息 信息化 数字化 信息系统', 'ict, information technolog*, digital*, information system*, information and communication'),
  area(
    'communications',
    'ict',
    '通信与网络',
    'communications and networks',
    '通信 无线 移动通信 网络 光通信 光纤 卫星通信 天线 射频 物联网 传感器网络 无线传感器 宽带 通讯 基站 组网 通信协议 移动网络 天线阵列',
    'telecommunicat*, communication*, wireless, 5g, 6g, mobile network*, network*, optical communication*, optical fibre*, optical fiber*, antenna*, radio frequency, rf, internet of things, iot, sensor network*, spectrum, broadband, base station*, radio, transceiver*, modulation, telecom*, satellite communication*, wireless communication*, communication protocol*, bluetooth, wifi, lte',
  ),
  area(
    'software_data',
    'ict',
    '软件、云计算与大数据',
    'software, cloud and data',
    '软件 云计算 云平台 大数据 数据库 数据中心 操作系统 区块链 网络安全 信息安全 算法 计算 高性能计算 数据分析 平台系统 实时系统 计算机 信息平台 数据处理 数据管理 数字平台 软件平台 云服务 移动应用 网络服务',
    'software, cloud computing, cloud, big data, data, database*, data centre*, data center*, operating system*, blockchain*, cybersecur*, information security, algorithm*, computing, computation*, computer*, high performance computing, hpc, data analytic*, web, internet, real time system*, middleware, data processing, data management, digital platform*, software platform*, cloud service*, mobile app*, app, apps, cryptograph*, encrypt*, cyber*, server*, usb, firmware, simulation software',
  ),
  area(
    'geospatial',
    'ict',
    '地理信息、遥感与导航',
    'geospatial information, remote sensing and navigation',
    '地理信息 地理信息系统 遥感 测绘 定位 导航 北斗 对地观测 地图 空间信息 位置服务 卫星定位',
    'remote sensing, earth observation, geospatial, gis, geographic information, geographical information, mapping, positioning, navigation, gnss, gps, copernicus, galileo, cartograph*, map, maps, spatial data, location based, satellite positioning, geodes*, surveying, lidar',
  ),
  area(
    'sensors_instruments',
    'ict',
    '传感器与仪器仪表',
    'sensors and instrumentation',
    '传感器 传感 仪器仪表 仪器 测量 检测仪 探测器 信号处理 嵌入式 电子 测量仪 传感网 检测设备 计量 精密测量',
    'sensor*, sensing, instrument*, instrumentation, measurement*, detector*, signal processing, embedded system*, electronic*, transducer*, actuator*, measuring instrument*, gauge*, gage*, calibration, metrolog*, test equipment, testing equipment, nondestructive evaluation, flaw detection, damage detection, accelerometer*, gyroscope*, strain gauge*',
  ),
  area(
    'photonics_optics',
    'ict',
    '光学与光子学',
    'optics and photonics',
    '光学 光子 激光 光谱 望远镜 透镜 反射镜 干涉 自适应光学 光电 波前 光电子 光器件 光纤传感 光栅 成像光学 激光器',
    'optic*, photon*, laser*, spectroscop*, spectrometer*, telescope*, lens*, mirror*, interferomet*, adaptive optics, wavefront*, optoelectronic*, photodetector*, optical system*, grating*, photonic*, lidar, microscop*, imaging system*, aperture*, beam*, holograph*, polariz*, polaris*',
  ),
  area('quantum', 'ict', '量子技术', 'quantum technologies', '量子 量子计算 量子通信 量子信息 量子传感 量子点', 'quantum*, qubit*, quantum information, quantum sensing, quantum computing, quantum communication'),
  // ------------------------------------------------------------------ 集成电路 semiconductors
  area(
    'semiconductors',
    'integrated_circuits',
    '半导体与集成电路',
    'semiconductors and integrated circuits',
    '半导体 集成电路 芯片 晶圆 晶片 光刻 刻蚀 封装测试 微电子 功率器件 传感芯片 外延 晶体管 薄膜沉积 功率半导体 第三代半导体 碳化硅 氮化镓 晶体管 集成电路设计 芯片设计 微纳',
    'semiconductor*, integrated circuit*, chip*, wafer*, lithograph*, etching, microelectronic*, power device*, mems, cmos, transistor*, epitax*, silicon, gallium nitride, silicon carbide, nanoelectronic*, semiconductor device*, integrated circuitry, asic*, fpga*, microchip*, photolithograph*, cleanroom*, dopant*, doping, substrate*, thin film transistor*, nanofabricat*, microfabricat*, microchannel*',
  ),
  // ------------------------------------------------------------------ 人工智能 AI
  area(
    'artificial_intelligence',
    'artificial_intelligence',
    '人工智能',
    'artificial intelligence',
    '人工智能 机器学习 深度学习 神经网络 智能算法 计算机视觉 图像识别 语音识别 自然语言处理 知识图谱 大模型 模式识别 数据挖掘 智能决策 机器人学习 智能识别 人机交互 智能体',
    'artificial intelligence, ai, machine learning, deep learning, neural network*, computer vision, image recognition, speech recognition, natural language processing, nlp, knowledge graph*, reinforcement learning, pattern recognition, data mining, intelligent system*, large language model*, intelligent agent*, human computer interaction, human machine interaction, speech processing, computer aided, decision support, expert system*, fuzzy logic, chatbot*, generative model*, image segmentation, image processing, predictive model*',
  ),
  // ------------------------------------------------------------------ 节能环保 environment
  area('environment', 'environment', '节能环保', 'energy saving and environmental protection', '环保 环境保护 环境 生态环境 污染 节能减排 环境治理 环境友好 污染防治 生态环保', 'environment*, pollut*, environmental protection, sustainab*, environmental impact*, environmental technolog*, green technolog*, clean technolog*, cleantech, contaminant*, toxic*, ecotoxic*'),
  area(
    'waste_recycling',
    'environment',
    '固废处理与资源循环',
    'waste treatment and recycling',
    '垃圾 固废 固体废物 废弃物  厨余 回收 循环经济 资源化 再生利用 填埋 焚烧 堆肥 污泥 危险废物 电子废物 废旧 废料 尾矿 垃圾处理 垃圾分类 餐厨垃圾 厨余垃圾 有机废物 废塑料',
    'waste*, recycl*, circular economy, landfill*, incinerat*, compost*, sludge, hazardous waste, food waste, biowaste, upcycl*, resource recovery, anaerobic digestion, valoris*, valoriz*, by product*, scrap, tailings, municipal solid waste, organic waste, plastic waste, waste management, waste treatment, recovery of materials, residue*, leftover*, dehalogenat*',
  ),
  area(
    'water',
    'environment',
    '水处理与水资源',
    'water treatment and water resources',
    '污水 废水 水处理 净水 饮用水 海水淡化 水资源 水污染 水环境 给排水 水质 水体 河流 湖泊 水利 排水 雨水 洪水',
    'wastewater, water treatment, drinking water, desalinat*, water resource*, water pollution, water quality, sewage, water purif*, water management, water supply, hydrolog*, water, river*, lake*, groundwater, stormwater, storm water, flood*, drought*, runoff, aquifer*, watershed*, catchment*',
  ),
  area(
    'air_climate',
    'environment',
    '大气污染与气候变化',
    'air pollution and climate change',
    '大气污染 大气治理 空气质量 废气 脱硫 脱硝 除尘 雾霾 颗粒物 碳排放 减排 碳捕集 气候变化 温室气体 碳中和 碳达峰 低碳 碳足迹 减碳 气溶胶 臭氧',
    'air pollution, air quality, emission*, flue gas, desulfur*, particulate*, carbon capture, co2, carbon dioxide, greenhouse gas*, climate change, climate, decarbonis*, decarboniz*, carbon neutral*, net zero, low carbon, mitigation, adaptation to climate, aerosol*, ozone, carbon footprint, carbon emission*, emission reduction, global warming, methane, nitrogen oxide*, nox, sulphur dioxide, sulfur dioxide, climate model*',
  ),
  area(
    'energy_efficiency',
    'environment',
    '节能与建筑能效',
    'energy efficiency and buildings',
    '节能 能效 余热 热泵 建筑节能 绿色建筑 供热 供暖 制冷 空调 保温 节能技术 能耗 低能耗 热管理 隔热',
    'energy efficien*, energy saving*, waste heat, heat pump*, building energy, green building*, heating, cooling, hvac, district heating, refrigerat*, thermal insulation, heat recovery, nearly zero energy, energy consumption, energy performance, thermal management, heat exchanger*, heat transfer, thermal storage, cogeneration, chp, combined heat and power',
  ),
  area(
    'ecology',
    'environment',
    '生态、生物多样性与地球科学',
    'ecology, biodiversity and earth sciences',
    '生态 生物多样性 生态修复 土壤污染 土壤修复 湿地 森林 林业 地质 地震 气象 海洋生态 自然保护 物种 动植物 海洋生物 冰川 极地',
    'ecolog*, ecosystem*, biodiversity, soil contamination, remediation, wetland*, forest*, conservation, geolog*, seism*, earthquake*, meteorolog*, weather, atmospher*, geophys*, natural hazard*, species, evolutionary, biogeochem*, glacier*, glacial, ice sheet*, polar, arctic, antarctic*, permafrost, palaeo*, paleo*, tectonic*, volcan*, habitat*, pollinat*, invasive species',
  ),
  // ------------------------------------------------------------------ 现代农业 agriculture
  area('modern_agriculture', 'modern_agriculture', '现代农业', 'modern agriculture', '农业 农产品 农村 农民 农田 农产 农技 三农 乡村', 'agricultur*, agri, agro*, farm*, farmer*, rural, agrifood, agricultural, agrarian, smallholder*, agroecolog*, agri food, agrifood system*'),
  area(
    'crops',
    'modern_agriculture',
    '作物、育种与植保',
    'crops, breeding and plant protection',
    '农作物 作物 育种 种子 种业 水稻 小麦 玉米 大豆 品种 病虫害 农药 化肥 施肥 土壤 产量 植物 果树 蔬菜 水果 茶叶 棉花 油菜 马铃薯 杂交',
    'crop*, breeding, seed*, rice, wheat, maize, corn, soybean*, cultivar*, pest*, pesticide*, fertilis*, fertiliz*, soil*, agronom*, plant breeding, plant protection, plant science*, germplasm, crop yield*, vegetable*, potato*, cotton, canola, rapeseed, legume*, barley, sorghum, cassava, cereal*, hybrid seed*, plant disease*, weed*, herbicide*, fruit, fruits, grain crop*',
  ),
  area(
    'protected_agriculture',
    'modern_agriculture',
    '设施农业与智慧农业',
    'protected and smart agriculture',
    '温室 设施农业 大棚 智慧农业 精准农业 灌溉 节水灌溉 滴灌 无土栽培 水培 植物工厂 园艺 设施园艺 植物工厂 环境控制',
    'greenhouse*, protected cultivation, controlled environment, smart farming, precision agricultur*, precision farming, irrigation, drip irrigation, hydroponic*, vertical farm*, horticultur*, glasshouse*, indoor farming, plant factor*, growth chamber*, artificial lighting, led lighting for plant*',
  ),
  area(
    'livestock_aquaculture',
    'modern_agriculture',
    '畜牧、水产与兽医',
    'livestock, aquaculture and veterinary',
    '畜牧 养殖 水产 渔业 兽医 动物疫病 饲料 家禽 奶牛 生猪 家畜 畜禽 禽流感 奶业 鱼类 海产',
    'livestock, aquacultur*, fisher*, fish, veterinar*, animal health, animal feed, poultry, cattle, dairy, pig, pigs, piglet*, pork, swine, animal*, fishery, fisheries, shellfish, seafood, salmon, shrimp*, farmed fish, animal welfare, animal disease*',
  ),
  area('food', 'modern_agriculture', '食品与营养', 'food and nutrition', '食品 营养 食品安全 乳制品 饮料 保鲜 食品加工 膳食 食物 粮食 餐饮 口感 食品科学', 'food*, nutrition*, nutrient*, dairy product*, beverage*, food safety, food processing, diet*, shelf life, foodstuff*, meal*, cuisine*, ingredient*, malnutrition, food security, food system*, food chain*, drink*, probiotic*, alternative protein*'),
  // ------------------------------------------------------------------ 海洋工程 marine
  area(
    'marine',
    'marine',
    '海洋与船舶',
    'marine and maritime',
    '海洋 船舶 造船 海工 海上平台 深海 海底 水下 潜水器 海水 海岸 海上 海事 远洋 港湾 舰船 水面',
    'marine, maritime, ocean*, ship, ships, shipbuild*, offshore, deep sea, seabed, subsea, underwater, vessel*, naval, coastal, sea, seas, seawater, submarine*, seafloor, sea floor, oceanograph*, hull*, propeller*, autonomous underwater, mooring*, tide*, arctic shipping',
  ),
  // ------------------------------------------------------------------ 航空航天 aerospace
  area('aviation', 'aerospace', '航空', 'aviation', '航空 飞机 飞行器 航空发动机 直升机 无人机 民航 适航 机翼 航空器 机身 气动 旅客机 通用航空', 'aviation, aircraft, aeronaut*, airplane*, aeroplane*, airframe*, helicopter*, aero engine*, air traffic, airport*, drone*, uav*, unmanned aerial, airworth*, flight*, aerodynam*, jet engine*, turbofan*, supersonic, hypersonic, wind tunnel*, icing, air vehicle*, air transport, rotorcraft, airfoil*, aerofoil*, thrust*, fuselage*, avionic*, landing gear*'),
  area(
    'space',
    'aerospace',
    '航天与空间科学',
    'space and space science',
    '航天 卫星 火箭 空间站 深空 运载 天文 空间科学 行星 月球 太空 航天器 空间技术 载荷 微重力',
    'space, spacecraft, satellite*, rocket*, launch vehicle*, orbit*, space station*, astronaut*, astronom*, astrophys*, planetary, lunar, mars, cosmic, interplanetary, nasa, space technolog*, space exploration, payload*, cubesat*, microgravity, spacesuit*, space weather, heliophys*, solar system, solar wind*, solar flare*, solar sail*, solar corona*, solar physics, solar storm*, exoplanet*, galax*, stellar, astrobiolog*, outer space',
  ),
  // ------------------------------------------------------------------ 其他 other
  area(
    'physics',
    'other',
    '物理与基础科学',
    'physics and fundamental sciences',
    '物理 物理学 粒子 中微子 宇宙学 引力 暗物质 加速器 原子 分子物理 等离子体 凝聚态 数学 统计学',
    'physic*, particle physics, neutrino*, quark*, boson*, hadron*, cosmolog*, gravitation*, dark matter, particle accelerator*, atomic, plasma*, condensed matter, mathemat*, statistic*, theorem*, topolog*, dynamical system*, bifurcation*',
  ),
  area(
    'construction',
    'other',
    '建筑与土木工程',
    'construction and civil engineering',
    '建筑 土木 桥梁 隧道 建材 混凝土 水泥 结构工程 城市建设 基础设施 建筑物 住宅 房屋 楼宇 土建 市政 城市',
    'construction, building*, civil engineering, bridge*, tunnel*, concrete, cement, structural engineering, infrastructure*, urban, buildings, housing, dwelling*, architect*, municipal, city, cities, smart cit*, built environment, timber construction, masonry, asphalt, pavement*',
  ),
  area(
    'mining_resources',
    'other',
    '采矿与油气资源',
    'mining, oil and gas',
    '煤矿 矿山 采矿 矿产 煤炭 选矿 石油 天然气 油气 页岩气 井下 矿物 矿石 金属矿 采煤 开采 资源开发',
    'mining, mine, mines, coal, mineral*, ore, ores, oil and gas, petroleum, natural gas, shale, drilling, raw material*, mineral resource*, ore deposit*, extraction of raw, coal mining, quarry*, exploration of mineral*, critical raw material*',
  ),
  area(
    'safety_emergency',
    'other',
    '安全生产与应急救援',
    'safety and emergency response',
    '安全生产 消防 火灾 灭火 救援 应急 防灾 减灾 灾害 公共安全 爆炸 安防 救灾',
    'fire, fires, wildfire*, firefight*, fire fighting, rescue*, emergency, emergencies, disaster*, hazard*, public safety, explosion*, crisis management, civil protection, first responder*, alarm*, protection equipment, personal protective, accident*, resilien*, cbrn, terror*, firefighter*',
  ),
  area(
    'innovation_services',
    'other',
    '技术转移与创新服务',
    'technology transfer and innovation services',
    '技术转移 成果转化 知识产权 孵化 创业 科技园 创新服务 技术市场 能力建设 产学研 科技服务 国际技术转移 科技成果 技术交易 技术服务 创新创业 企业孵化 技术经纪',
    'technology transfer, knowledge transfer, commercialis*, commercializ*, intellectual property, patent*, licens*, licenc*, incubat*, entrepreneur*, start up*, startup*, spin off*, science park*, innovation ecosystem*, contract research, outsourc*, innovation polic*, innovation management, capacity building, technology platform*, technology licens*, technology brokerage, innovation support, innovation voucher*, research infrastructure*, open innovation, innovation hub*, venture capital, research and innovation programme*, sme, smes',
  ),
  area(
    'social_sciences',
    'other',
    '社会、经济与治理',
    'society, economy and governance',
    '社会 经济 政策 治理 教育 文化遗产 城市化 移民 性别 就业 社会学 经济学 政治 法律 文化 艺术 心理',
    'social*, societ*, econom*, polic*, governance, educat*, cultural heritage, migra*, gender, citizen*, democra*, employment, labour market*, inequalit*, politic*, law, legal, history, historical, arts, music*, literature, philosoph*, psycholog*, sociolog*, anthropolog*, linguist*, language*, religio*, ethic*, multilateral*, diplomac*, security and peace, peace',
  ),
];
