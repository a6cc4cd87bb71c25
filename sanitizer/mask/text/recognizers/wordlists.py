"""Word lists the name recognizer uses to keep ordinary words out of PERSON findings.

Which English words are ordinary comes from wordfreq's frequencies (see ``lexicon``); what is
here is what a frequency list cannot tell: ``AMBIGUOUS_NAMES``, names that are words too often
to stand alone (virtues, flowers, months, verbs); ``NOT_ALONE``, places, brands and products
that are also first names, never a PERSON on their own; ``FUNCTION_WORDS``, which never
continue a name. ``EVERYDAY_WORDS`` (frequent English words that are never a name or a place
when capitalized) is no name list: it gates spaCy's recognizer (``ner_segments``) and the
street and email checks, where a frequency list would not do, since it holds every city too.
"""

from __future__ import annotations

EVERYDAY_WORDS = frozenset(
    """
    a about above across act action actually add address after again against age ago agree ahead
    air all allow almost alone along already also although always am among an and another answer
    any anyone anything appear apply approach are area argue arm around arrive art article as ask
    at attack author available avoid away baby back bad bag ball bank bar base be beat beautiful
    because become bed before begin behind believe below best better between beyond big bill bit
    black blood blue board body book born both box boy break bring brother brown budget build
    building business but buy by call camera campaign can cancer candidate capital car card care
    career carry case catch cause cell center central century certain chair challenge chance
    change character charge check child choice choose church citizen city civil claim class clear
    clearly close coach cold collection college color come commercial common community company
    compare computer concern condition conference consider consumer contain continue control cost
    could country couple course court cover create crime cultural culture cup current customer cut
    dark data daughter day dead deal death debate decade decide decision deep defense degree
    democrat describe design despite detail determine develop difference different difficult
    dinner direction director discover discuss discussion disease do doctor dog door down draw
    dream drive drop drug during each early east easy eat economic economy edge education effect
    effort eight either election else employee end energy enjoy enough enter entire environment
    especially establish even evening event ever every everybody everyone everything evidence
    exactly example executive exist expect experience expert explain eye face fact factor fail
    fall family far fast father fear federal feel feeling few field fight figure fill film final
    finally financial find fine finger finish fire firm first fish five floor fly focus follow
    food foot for force foreign forget form former forward four free friend from front full fund
    future game garden gas general generation get girl give glass go goal good government great
    green ground group grow growth guess gun guy hair half hand hang happen happy hard have he
    head health hear heart heat heavy help her here herself high him himself his history hit hold
    home hope hospital hot hotel hour house how however huge human hundred husband idea identify
    if image imagine impact important improve in include including increase indeed indicate
    individual industry information inside instead institution interest interesting international
    interview into investment involve issue it item its itself job join just keep key kid kill
    kind kitchen know knowledge land language large last late later laugh law lawyer lay lead
    leader learn least leave left leg legal less let letter level lie life light like likely line
    list listen little live local long look lose loss lot love low machine magazine main maintain
    major majority make man manage management manager many market marriage material matter may
    maybe me mean measure media medical meet meeting member memory mention message method middle
    might military million mind minute miss mission model modern moment money month more morning
    most mother mouth move movement movie much music must my myself name nation national natural
    nature near nearly necessary need network never new news newspaper next nice night no none nor
    north not note nothing notice now number occur of off offer office officer official often oh
    oil ok old on once one only onto open operation opportunity option or order organization other
    others our out outside over own owner page pain painting paper parent part participant
    particular particularly partner party pass past patient pattern pay peace people per perform
    performance perhaps period person personal phone physical pick picture piece place plan plant
    play player point police policy political politics poor popular population position positive
    possible power practice prepare present president pressure pretty prevent price private
    probably problem process produce product production professional professor program project
    property protect prove provide public pull purpose push put quality question quickly quite
    race radio raise range rate rather reach read ready real reality realize really reason receive
    recent recently recognize record red reduce reflect region relate relationship religious
    remain remember remove report represent republican require research resource respond response
    responsibility rest result return reveal rich right rise risk road rock role room rule run
    safe same save say scene school science scientist score sea season seat second section
    security see seek seem sell send senior sense series serious serve service set seven several
    sex sexual shake share she shoot short shot should shoulder show side sign significant similar
    simple simply since sing single sister sit site situation six size skill skin small smile so
    social society soldier some somebody someone something sometimes son song soon sort sound
    source south southern space speak special specific speech spend sport spring staff stage stand
    standard star start state statement station stay step still stock stop store story strategy
    street strong structure student study stuff style subject success successful such suddenly
    suffer suggest summer support sure surface system table take talk task tax teach teacher team
    technology television tell ten tend term test than thank that the their them themselves then
    theory there these they thing think third this those though thought thousand threat three
    through throughout throw thus time to today together tonight too top total tough toward town
    trade traditional training travel treat treatment tree trial trip trouble true truth try turn
    two type under understand unit until up upon us use usually value various very victim view
    violence visit voice vote wait walk wall want war watch water way we weapon wear week weight
    well west western what whatever when where whether which while white who whole whom whose why
    wide wife will win wind window wish with within without woman wonder word work worker world
    worry would write writer wrong yard yeah year yes yet you young your yourself
    able account accept access according active activity actor added admin advice afraid agent
    alarm album alert alias alpha amount angle angry animal annual apart app apple april arch army
    arrow aside asset audio august auto autumn award aware badge baker balance band banner barber
    basic basket batch battery beach bean bear beauty bell belt bench berry bird birth blank blind
    block bloom blow board boat bold bolt bond bone bonus boot border boss bottle bottom bound bow
    brand brave bread brick bridge brief bright broad broken brook brush bubble buck buffer bug
    bulk bundle burn burst bush butter button buyer cable cake calm camp canal candy cap captain
    carbon cargo carpet carrier cart cash castle cat cause cave chain chalk champion channel
    chapter charity charm chart chase cheap cheer chest chief chip circle clay clean clerk click
    client cliff climb clock cloud club coal coast coat code coin collar comfort content cook cool
    copper copy coral core corn corner cotton count cousin cow crack craft crane crash cream
    credit crew cross crowd crown cruise crystal cure curve cycle daily dairy dale dance dash
    date dawn deadline dear debt deck delay delivery demand dense deposit desk device dial diamond
    diet digital direct dirt dish display dispute dock dollar domain dot draft drag drain drama
    drawer dress drew drill drink driver dry duck due duke dust duty eagle earl earth echo edit
    elite email ember empty engine entry equal error estate ever exit extra fabric fair faith
    fake fan fancy farm fashion fault favor feature fee fence ferry fiber file filter fit fix flag
    flame flash flat fleet flight flint flow flower fold folder font ford forest fork fortune
    frame frank fresh frost fruit fuel fun gain gallery gap gate gay gear gem gene gentle gift
    ginger glen glory gloss glove glow gold golf grace grade grain grand grant grape graph grass
    grave gray grey grid grill grip gross guard guest guide guild gulf habit hall hammer handle
    harbor hardware harm harvest hat haven hawk hay hazel heath heaven hedge height hero hill hint
    holiday holly honey honor hook horn horse host hub hunt hunter ice icon ideal inch index ink
    input invoice iron ivory ivy jack jade jam jet jewel joy judge juice jump june junior jury
    justice kit knight lab label lace lady lake lamp lance lane laser launch lawn layer leaf lease
    lemon lens liberty lily limit link lion lip load loan lock log lord lucky lunch luck magic
    mail major mall maple marble march margin marine mark marsh mask mason master match meadow
    meal medal melody mercy merit mesh metal meta mile mill mint mirror mist mobile mode moon
    moss motor mount mouse mud mug nail navy neat nest net nickel noble noon norm nurse oak ocean
    olive orange orbit organ outlet oven owl pace pack pad paint pal palm panel park patch
    path patience pearl pebble peer penny pepper pier pilot pin pine pink pipe pitch pixel plain
    plate plaza plot plug plum pocket poem polish pond pool pop port portal post pot pound prairie
    prime prince print prize promo proof pulse pump punch queen quest quick quiet rail rain ranch
    randy rapid raven ray reed ref relay reply rice ridge ring river robin rod roof root rope rose
    rough round route row royal ruby rush rust rusty sage sail salt sand sandy scale scout screen
    seal seed server shade shadow shape sharp sheet shell shelter shield shine ship shirt shoe
    shop shore sierra silk silver sink sky slate sleep slice slot smart smoke snow soft
    soil solar sole solid sonny spark speed spell spice spin spot square stable stamp steel stem
    sterling stick sting stone storm stream strike sugar suite sunny sweet swift tag tail tank
    tape target tea temple tender thread ticket tide tiger tile timber tip title token tool tower
    track trail train trend tribe trick trust tube tune tunnel twin union urban usage valley van
    vault velvet vendor venture verse vessel victor view villa vine violet virtue vision wade wage
    wagon ward wave wax wealth web wedge wheat wheel whale wild willow wine wing winter wire
    wise wolf wood wool yarn zone
    english french german spanish italian dutch polish portuguese russian chinese japanese korean
    swedish danish norwegian finnish greek turkish arabic hebrew hindi roman latin american
    british canadian australian indian irish scottish welsh european african asian christian
    catholic jewish muslim font toolkit
    """.split()
)

# Names that are ordinary words (or months, verbs, virtues…) that the frequencies let through;
# each is a PERSON only with a known last name after it, a greeting before it, or in a role only
# a person takes.
AMBIGUOUS_NAMES = frozenset(
    """
    april august june may jan mar jun jul sept dec will bill mark grant rich sunny hope faith joy
    art max chase hunter drew rob sue pat don ray guy jack kit gene jean bob dawn eve ivy holly
    rose lily iris daisy hazel amber crystal jade ruby pearl opal olive coral ginger sage summer
    autumn winter storm rain sky river stone brook dale glen forest heath cliff rocky sandy rusty
    dusty buddy bud chip randy sonny frank earnest ernest noble royal king prince duke earl baron
    major bishop deacon mason cooper archer gardner parker porter tanner taylor lane miles price
    pierce wade cash chance grace patience charity honor honour destiny harmony melody serenity
    trinity haven heaven misty penny goldie candy cherry angel star sol luz paz mar pilar rosario
    consuelo dolores amparo soledad else till edit meta peer job lot floor harm ties lore sem bas
    pim cas isa sole gioia sage raven robin sterling marina rosa bella luna stella nova aurora
    hero victor young page dev min del sep ping dom tilde dag sine forum lone gang aria sys edu
    pam maj mai ize sil kick mille bent cord mart owe harsh valentine dick isis uno nacho eta
    toy tan nas baba tali van von mac sierra corona aura nada mare heather rock wolf swift angel
    """.split()
)

# Places, brands and products that are also first names: never a PERSON on their own.
NOT_ALONE = frozenset(
    """
    paris florence georgia virginia jordan austin sydney dallas chelsea madison lincoln phoenix
    carolina charlotte victoria brooklyn savannah adelaide orlando houston denver regina augusta
    eugene aurora india asia africa america israel berlin vienna siena valencia lorraine
    santiago sofia lima cuba kenya china tyrone kent devon cornwall chester jersey lourdes fatima
    mercedes tesla porsche ferrari jaguar lexus dell chanel prada gucci kia skoda alexa siri
    cortana claude gemini gemma ruby julia ada pascal maven django cassandra hadoop jenkins nest
    ring oracle sonos roomba echo opera safari chrome edge
    """.split()
)

# Words that never continue a name ("maria will call", "Sarah and Tom", "Thanks Tom for...").
FUNCTION_WORDS = frozenset(
    """
    a an the and or but nor so yet for of to in on at by from with about into onto over under
    after before since until via per as than then is are was were be been being am do does did
    has have had will would shall should can could may might must not no yes it its he she they
    we you i me him her them us my your his our their this that these those there here who whom
    whose which what when where why how all any some each every both either neither also just
    only very too please thanks thank said says asked called wrote replied sent told is
    """.split()
)

# Words that follow a greeting without being a name ('Hi team,', 'Dear Sir or Madam').
NOT_NAMES_AFTER_GREETING = frozenset(
    """
    sir sirs madam mam all everyone everybody team folks guys there friend friends colleagues
    customer customers client user users partner support admin manager mate buddy boss ladies
    gentlemen world again both you yall y'all again again sales billing accounts hr it ops
    """.split()
)

# Words of support tickets, chats and agent transcripts beyond the frequency list above
# (greetings, sign-offs, days, the nouns and verbs of orders, accounts and tools). Capitalized,
# they start a sentence or label a field; they never name a person or a place.
SUPPORT_WORDS = frozenset(
    """
    hi hello hey greetings thanks thank cheers regards sincerely kindly please sorry apologies
    unfortunately okay ok yes yeah sure great perfect awesome fine noted understood my per
    monday tuesday wednesday thursday friday saturday sunday january february september october
    november december today tomorrow yesterday tonight morning afternoon evening weekend asap
    re fwd fw cc bcc subject attached attachment attachments forwarded reply replied sent
    user users visitor customer agent assistant system tool bot operator admin staff owner
    request requests ticket tickets issue issues incident incidents case cases escalation
    escalated handover transcript summary internal original automatic automated manual notes
    order orders shipping shipment shipped delivery delivered tracking package parcel return
    returns refund refunds refunded cancellation cancel cancelled canceled checkout cart
    payment payments invoice invoices billing billed charge charged receipt receipts discount
    coupon promo subscription renewal upgrade downgrade trial plan plans pricing quote
    account accounts login logout password reset verification verify verified code codes
    status pending resolved closed open reopened priority urgent critical high low medium
    error errors failed failure failing broken bug bugs crash crashes timeout warning alert
    alerts notification notifications success successful completed complete done fixed
    confirmed confirm confirmation update updated updates change changed changes feedback
    complaint complaints rating review reviews survey question questions answer answers
    report reports export import sync settings profile dashboard portal website app mobile
    email emails phone message messages chat call calls meeting screenshot screenshots log logs
    file files link links document documents form details info information action actions
    step steps result results output input query lookup search response responses effective
    happens happened works working worked issue resolved unresolved follow following followup
    """.split()
)

# Short all-capital words of the same texts that are no name or place ('IP', 'UTC', 'PO',
# 'NOT'). Any other capital word of up to three letters may be one ('US', 'NYC', 'J.').
SHORT_CAPITALS = frozenset(
    """
    not no yes and the for you all any new now out get set off top day due end see too use
    way who why how can did has had was are but its our own per via ord
    i a ok id ip utc gmt cet sms csv pdf json xml html api url dob ssn usd eur gbp jpy chf cad
    aud inr crm erp sla faq po inv tck tkt sr inc ref otp pin vpn dns ui ux sku eta rma qa ceo
    cto cfo vip kyc aml pii mfa sso fyi eod pm am tbd cc bcc re fw fwd faq tos btw imo
    """.split()
)
