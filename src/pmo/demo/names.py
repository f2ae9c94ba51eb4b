"""Word lists the demo draws its names from.

Plain data only: the generators pick from these with the seeded random generator they are given,
so that the same seed always yields the same organisation.
"""

FIRST_NAMES = (
    "Aaliyah", "Adam", "Adebayo", "Aisha", "Alan", "Alex", "Alice", "Amara", "Amelia", "Amir",
    "Ana", "Andrew", "Angela", "Anil", "Anna", "Arjun", "Ava", "Barbara", "Ben", "Bethany",
    "Bilal", "Bronwen", "Callum", "Carlos", "Caroline", "Catherine", "Charlotte", "Chen", "Chloe", "Chris",
    "Claire", "Connor", "Daniel", "David", "Deborah", "Declan", "Deepa", "Diana", "Dylan", "Eilidh",
    "Elena", "Eleanor", "Elif", "Ella", "Emily", "Emma", "Ethan", "Fatima", "Femi", "Fiona",
    "Freya", "Gareth", "Grace", "Hannah", "Harry", "Helen", "Henry", "Ibrahim", "Imogen", "Isaac",
    "Isla", "Jack", "James", "Jasmine", "Javier", "Jessica", "Joanna", "John", "Jonathan", "Joseph",
    "Julia", "Karen", "Kate", "Kwame", "Laura", "Leah", "Liam", "Lucy", "Luis", "Maria",
    "Mark", "Martha", "Mateo", "Megan", "Mei", "Michael", "Mohammed", "Naomi", "Nadia", "Nathan",
    "Niamh", "Nicola", "Noah", "Oliver", "Olivia", "Omar", "Owen", "Patrick", "Paul", "Priya",
    "Rachel", "Rahul", "Rebecca", "Rhys", "Richard", "Rosa", "Ruth", "Ryan", "Samuel", "Sarah",
    "Sean", "Sofia", "Sophie", "Stephen", "Susan", "Tariq", "Thomas", "Tom", "Victoria", "Wei",
    "William", "Yasmin", "Yusuf", "Zara", "Zoe",
)

LAST_NAMES = (
    "Abbott", "Adeyemi", "Ahmed", "Ali", "Allen", "Anderson", "Armstrong", "Atkinson", "Bailey", "Baker",
    "Banerjee", "Barnes", "Bell", "Bennett", "Bishop", "Boateng", "Brennan", "Brooks", "Brown", "Burke",
    "Butler", "Campbell", "Carter", "Chan", "Chapman", "Chowdhury", "Clarke", "Collins", "Cooper", "Costa",
    "Cox", "Davies", "Dawson", "Desai", "Dixon", "Doherty", "Edwards", "Ellis", "Evans", "Fernandes",
    "Fisher", "Fletcher", "Foster", "Fraser", "Garcia", "Gibson", "Gill", "Graham", "Grant", "Gray",
    "Green", "Griffiths", "Gupta", "Hall", "Hamilton", "Harris", "Harrison", "Hart", "Hassan", "Hayes",
    "Henderson", "Hill", "Hughes", "Hussain", "Jackson", "James", "Jenkins", "Johnson", "Jones", "Joshi",
    "Kaur", "Kelly", "Kennedy", "Khan", "King", "Kowalski", "Kumar", "Lawson", "Lee", "Lewis",
    "Li", "Lloyd", "Lopez", "Macdonald", "Mahmood", "Marshall", "Martin", "Mason", "Matthews", "McCarthy",
    "Mensah", "Miller", "Mitchell", "Moore", "Morgan", "Morris", "Murphy", "Murray", "Nguyen", "Novak",
    "Obi", "O'Brien", "Okafor", "Oliveira", "Owen", "Palmer", "Parker", "Patel", "Pearce", "Phillips",
    "Price", "Quinn", "Rahman", "Reid", "Reynolds", "Richards", "Roberts", "Robinson", "Rossi", "Russell",
    "Santos", "Scott", "Shah", "Sharma", "Shaw", "Silva", "Simpson", "Singh", "Smith", "Stewart",
    "Sullivan", "Taylor", "Thomas", "Thompson", "Turner", "Wallace", "Walsh", "Ward", "Watson", "Webb",
    "White", "Williams", "Wilson", "Wong", "Wood", "Wright", "Yilmaz", "Young", "Zhang", "Zielinski",
)

# Organisation units: (code, name, parent code). Parents come before their children; a size
# takes the first N, so the first rows are the executive unit and its main directorates.
UNITS = (
    ("EXEC", "Executive office", None),
    ("FIN", "Finance", "EXEC"),
    ("IT", "Information technology", "EXEC"),
    ("OPS", "Operations", "EXEC"),
    ("HR", "Human resources", "EXEC"),
    ("MKT", "Marketing", "EXEC"),
    ("CS", "Customer service", "EXEC"),
    ("PMO", "Portfolio management office", "EXEC"),
    ("LEGAL", "Legal and compliance", "EXEC"),
    ("PROC", "Procurement", "EXEC"),
    ("IT-INFRA", "IT infrastructure", "IT"),
    ("IT-APPS", "Business applications", "IT"),
    ("IT-SEC", "Information security", "IT"),
    ("IT-DATA", "Data and analytics", "IT"),
    ("OPS-LOG", "Logistics", "OPS"),
    ("OPS-MFG", "Manufacturing", "OPS"),
    ("OPS-FAC", "Facilities", "OPS"),
    ("FIN-FPA", "Financial planning and analysis", "FIN"),
    ("FIN-AP", "Accounts payable", "FIN"),
    ("FIN-TRS", "Treasury", "FIN"),
    ("HR-REC", "Recruitment", "HR"),
    ("HR-LD", "Learning and development", "HR"),
    ("HR-PAY", "Payroll", "HR"),
    ("MKT-BRAND", "Brand and communications", "MKT"),
    ("MKT-DIG", "Digital marketing", "MKT"),
    ("CS-CC", "Contact centre", "CS"),
    ("CS-FIELD", "Field service", "CS"),
    ("LEGAL-REG", "Regulatory affairs", "LEGAL"),
    ("IT-DEV", "Software engineering", "IT"),
    ("OPS-QA", "Quality assurance", "OPS"),
)

# Relative headcount of each directorate (sub-units share their directorate's weight).
UNIT_WEIGHTS = {
    "EXEC": 0.0, "PMO": 0.0, "IT": 3.0, "OPS": 3.0, "CS": 2.0, "FIN": 1.5, "HR": 1.0, "MKT": 1.2,
    "LEGAL": 0.6, "PROC": 0.8,
}

# Where programme and project managers tend to sit.
DELIVERY_UNIT_WEIGHTS = {"IT": 5.0, "OPS": 3.0, "CS": 1.5, "FIN": 1.0, "HR": 0.7, "MKT": 0.8, "LEGAL": 0.3, "PROC": 0.5}

STAFF_TITLES = {
    "IT": ("Software engineer", "Business analyst", "Infrastructure engineer", "Service desk analyst",
           "Solution architect", "Test analyst", "Data engineer", "Security analyst", "Developer"),
    "OPS": ("Operations coordinator", "Logistics planner", "Shift supervisor", "Process engineer",
            "Warehouse team leader", "Quality inspector", "Facilities coordinator", "Production planner"),
    "CS": ("Customer adviser", "Team leader", "Complaints specialist", "Field engineer", "Workforce planner",
           "Customer insight analyst"),
    "FIN": ("Management accountant", "Financial analyst", "Accounts assistant", "Treasury analyst",
            "Finance business partner", "Payroll officer"),
    "HR": ("HR business partner", "Recruiter", "Learning designer", "HR adviser", "Reward analyst"),
    "MKT": ("Marketing manager", "Content designer", "Digital marketing specialist", "Brand manager",
            "Market research analyst"),
    "LEGAL": ("Solicitor", "Compliance officer", "Paralegal", "Regulatory analyst"),
    "PROC": ("Buyer", "Category manager", "Contract manager", "Supplier relationship manager"),
}

EXECUTIVE_TITLES = (
    "Chief executive", "Chief financial officer", "Chief operating officer", "Chief information officer",
    "Chief marketing officer", "Chief people officer", "General counsel", "Customer director",
    "Chief data officer", "Chief strategy officer", "Chief risk officer", "Chief technology officer",
    "Transformation director", "Chief procurement officer", "Commercial director", "Sustainability director",
)

# Strategic objectives: (name, theme, description).
OBJECTIVES = (
    ("Grow recurring revenue", "growth", "Increase the share of revenue that renews every year."),
    ("Improve customer satisfaction", "customer", "Raise the net promoter score and cut complaints."),
    ("Reduce operating cost", "cost", "Take cost out of running the business without cutting service."),
    ("Modernise the technology estate", "technology", "Retire legacy systems and move to supported platforms."),
    ("Meet regulatory obligations", "compliance", "Stay compliant with current and upcoming regulation."),
    ("Reach net zero operations", "sustainability", "Cut the carbon emitted by our sites, fleet and suppliers."),
    ("Develop our people", "people", "Attract, grow and keep the skills the organisation needs."),
    ("Make decisions with data", "data", "Give every team trusted data and the tools to use it."),
    ("Expand into new markets", "growth", "Open new regions and customer segments."),
    ("Strengthen operational resilience", "compliance", "Keep critical services running through disruption."),
    ("Simplify the supply chain", "cost", "Fewer, better suppliers and shorter lead times."),
    ("Digital by default", "customer", "Let customers do everything online if they wish."),
)

# Portfolios: (name, description, programme themes in order of preference).
PORTFOLIOS = (
    ("Digital and technology", "Change that runs through systems, data and digital channels.",
     ("technology", "data", "customer")),
    ("Operations and customer", "Change to how we make, move and service what we sell.",
     ("cost", "customer", "sustainability")),
    ("Corporate services", "Finance, people, legal and procurement change.",
     ("people", "compliance", "cost")),
    ("Growth", "New products, markets and channels.",
     ("growth", "customer", "data")),
    ("Sustainability", "The route to net zero and a responsible supply chain.",
     ("sustainability", "compliance", "cost")),
)

# Programme names per theme.
PROGRAMMES = {
    "technology": ("Technology modernisation", "Cloud adoption", "Workplace technology", "Cyber resilience",
                   "Application rationalisation"),
    "data": ("Data and analytics", "Single customer view", "Data governance"),
    "customer": ("Digital customer experience", "Customer service transformation", "Omnichannel retail",
                 "Customer loyalty"),
    "cost": ("Operational excellence", "Supply chain transformation", "Finance transformation",
             "Shared services", "Procurement excellence"),
    "sustainability": ("Net zero", "Sustainable sites", "Fleet electrification"),
    "people": ("People and culture", "Future skills", "HR transformation"),
    "compliance": ("Regulatory change", "Operational resilience", "Privacy and data protection"),
    "growth": ("New markets", "Product innovation", "Partnerships and channels"),
}

# Project names per theme; a size that needs more names than a theme holds adds a site or phase.
PROJECTS = {
    "technology": (
        "CRM replacement", "Data centre exit", "ERP upgrade", "Network refresh", "Laptop refresh",
        "Email and collaboration migration", "Identity and access management", "Mainframe decommissioning",
        "Telephony replacement", "Service management tooling", "API platform", "Test automation",
        "Backup and recovery modernisation", "Legacy billing retirement", "Cloud landing zone",
        "Integration platform", "Mobile device management", "Document management system",
    ),
    "data": (
        "Data warehouse migration", "Master data clean-up", "Customer data platform", "Reporting self-service",
        "Data quality programme", "Analytics platform", "Data catalogue", "Demand forecasting model",
        "Finance data mart", "Real-time operations dashboard", "Data platform migration", "Machine learning operations",
        "Customer churn model", "Data sharing agreements", "Geospatial analytics",
    ),
    "customer": (
        "Customer portal", "Mobile app relaunch", "Contact centre platform", "Web chat and chatbot",
        "Complaints process redesign", "Online payments", "Self-service returns", "Customer onboarding journey",
        "Field service scheduling", "Accessibility improvements", "Loyalty scheme relaunch", "Website replatform",
        "Customer feedback platform", "Appointment booking", "Proactive notifications", "Click and collect",
        "Customer identity verification", "Digital receipts",
    ),
    "cost": (
        "Warehouse automation", "Procurement system", "Invoice automation", "Office consolidation",
        "Transport management system", "Lean operations roll-out", "Spend analytics", "Inventory optimisation",
        "Shared service centre", "Supplier consolidation", "Robotic process automation", "Print reduction",
        "Energy contract renegotiation", "Route optimisation",
    ),
    "sustainability": (
        "Electric fleet roll-out", "Solar panels on sites", "LED lighting upgrade", "Packaging reduction",
        "Carbon reporting", "Heat pump installation", "Waste and recycling contract", "Supplier emissions survey",
        "Building management system", "Water usage reduction", "Sustainable procurement policy",
        "Green data centre", "Biodiversity on sites", "Cycle to work scheme",
    ),
    "people": (
        "HR system replacement", "Learning management system", "Leadership academy", "Payroll outsourcing",
        "Hybrid working policy", "Recruitment platform", "Employee wellbeing programme", "Performance review redesign",
        "Graduate scheme", "Apprenticeships expansion", "Onboarding redesign", "Diversity and inclusion plan",
        "Workforce planning tool", "Pay and grading review",
    ),
    "compliance": (
        "GDPR remediation", "Records retention", "Anti-money-laundering controls", "Business continuity plans",
        "Cyber security certification", "Accessibility regulations", "Sanctions screening",
        "Audit findings remediation", "Health and safety system", "Consumer duty implementation",
        "Whistleblowing system", "Third-party risk management", "Policy management system", "Fraud detection",
    ),
    "growth": (
        "New market entry: Ireland", "Subscription product launch", "Marketplace integration", "Partner portal",
        "Pricing engine", "New product range", "B2B e-commerce", "Franchise model pilot", "Export readiness",
        "Brand refresh", "Customer referral scheme", "Product localisation", "Online marketplace launch",
    ),
}

SITES = (
    "Leeds", "Bristol", "Glasgow", "Manchester", "Cardiff", "Belfast", "Birmingham", "Newcastle",
    "Edinburgh", "Southampton", "Dublin", "Rotterdam", "Nottingham", "Sheffield", "Liverpool", "Norwich",
)

PHASES = ("phase 2", "pilot", "roll-out")

# What a project's scope statement promises, per theme.
BENEFITS = {
    "technology": ("retire unsupported systems", "cut licence and hosting costs", "lower the risk of outages"),
    "data": ("give managers one version of the truth", "cut time spent on manual reporting",
             "improve forecast accuracy"),
    "customer": ("reduce customer effort", "shorten response times", "increase online self-service"),
    "cost": ("reduce unit costs", "remove manual handling", "shorten order lead times"),
    "sustainability": ("cut carbon emissions", "reduce energy use", "meet our net zero commitments"),
    "people": ("improve staff retention", "close key skill gaps", "simplify people processes"),
    "compliance": ("close audit findings", "meet regulatory deadlines", "reduce the risk of fines"),
    "growth": ("open a new revenue stream", "reach new customers", "grow market share"),
}

# What one project needs from another (a project dependency's output), per provider theme.
DEPENDENCY_OUTPUTS = {
    "technology": ("Integration APIs live", "Test environment available", "Network upgrade at sites",
                   "Single sign-on enabled", "Cloud landing zone ready"),
    "data": ("Cleansed customer data", "Data model signed off", "Data migration tooling"),
    "customer": ("Updated customer journeys", "Trained contact centre staff", "Portal release 1"),
    "cost": ("New process design", "Supplier contract signed", "Warehouse layout agreed"),
    "sustainability": ("Site energy survey", "Charging points installed", "Carbon baseline"),
    "people": ("Revised job roles", "Trained super-users", "Consultation completed"),
    "compliance": ("Security sign-off", "Data protection impact assessment", "Policy approved"),
    "growth": ("Pricing approved", "Market research findings", "Product specification"),
}

OFFICE_MANDATES = {
    "portfolio": (
        "Maintains the portfolio, sets standards for planning, reporting and gates, collates "
        "highlight reports and advises the portfolio board on selection and prioritisation."
    ),
    "programme": "Plans and controls the programme, keeps its RAID log and dependencies, and reports to the SRO.",
    "project": "Supports the project manager with planning, reporting, documents and meetings.",
}
