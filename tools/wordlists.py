"""A small bundled word list by CEFR level (A1–A2 core and B1), written for this project.

It is deliberately short: base forms of the words a learner at that level is expected to know.
`lemma_candidates` maps inflected forms back to a base form so "studied" finds "study".
"""

from __future__ import annotations

A2_CORE = frozenset(
    """a about above across act action activity actor actually add address adult afraid after
    afternoon again age ago agree air airport all almost alone along already also always am an and
    angry animal another answer any anyone anything apartment apple april are area arm around arrive
    art as ask at august aunt autumn away baby back bad bag ball banana band bank bath bathroom be
    beach beautiful because become bed bedroom beer before begin behind believe below best better
    between bicycle big bike bill bird birthday bit black blue board boat body book bored boring born
    both bottle bottom box boy bread break breakfast bring brother brown build building bus business
    busy but buy by cafe cake call camera can car card care careful carry cat catch cent centre
    century chair change cheap check cheese chicken child children chocolate choose cinema city class
    classroom clean clear climb clock close clothes cloud club coat coffee cold college colour color
    come company computer concert cook cool copy corner cost could country course cousin cow cream
    cup cut dad dance dangerous dark date daughter day dear december decide delicious describe desk
    dictionary die different difficult dinner dirty do doctor dog dollar door down draw dream dress
    drink drive driver during each ear early easy eat egg eight either email end enjoy enough
    evening event ever every everybody everyone everything exam example excellent excited exciting
    excuse exercise expensive explain eye face fact factory fall family famous fan far farm fast fat
    father favourite favorite february feel few film find fine finish fire first fish five flat
    flight floor flower fly follow food foot football for forget fork free friday friend friendly
    from front fruit full fun funny future game garden get gift girl give glass go good goodbye grandfather
    grandmother great green grey group grow guess guitar hair half hand happen happy hard hat hate
    have he head health healthy hear heart heavy hello help her here high hill him his history hobby
    holiday home homework hope horse hospital hot hotel hour house how hundred hungry hurt husband i
    ice idea if ill important in information interested interesting internet into invite is island
    it its jacket january job join journey juice july jump june just keep key kid kill kind kitchen
    know lake language large last late later laugh learn leave left leg lesson let letter library
    life light like line list listen little live long look lose lot love lovely low lunch machine
    magazine make man many map march market married match may maybe me meal mean meat meet meeting
    member menu message metre middle milk million mind minute miss mistake model moment monday money
    month more morning most mother mountain mouth move movie much mum museum music must my name near
    need never new news newspaper next nice night nine no nobody noise north nose not nothing
    november now number nurse o'clock october of off office often oh old on once one only open
    opinion or orange order other our out outside over own page paint pair paper parent park part
    partner party pass past pay pen pencil people perfect person phone photo photograph piano
    picture piece pink place plan plane plant play player please pocket police pool poor popular
    possible post potato pound practice practise prefer present pretty price problem program
    programme project pull purple push put question quick quickly quiet radio rain read ready real
    really reason red relax remember rent repeat restaurant return rice rich ride right river road
    room round rule run sad safe salad sale same sandwich saturday say school science sea season
    second see sell send sentence september shall share she shirt shoe shop short should show shower
    sick sign since sing singer sister sit six size skirt sleep slow small smile snow so some
    someone something sometimes son song soon sorry sound soup south speak special spell spend sport
    spring stand star start station stay still stop story street student study subject such sugar
    summer sun sunday supermarket sure sweater swim table take talk tall taxi tea teach teacher team
    telephone television tell ten tennis terrible test than thank thanks that the theatre their them
    then there these they thing think third thirsty this those thousand three through throw thursday
    ticket time tired to today together toilet tomorrow tonight too tooth top tourist town toy train
    travel tree trip trousers true try tuesday turn twice two type uncle under understand
    university until up us use useful usually vacation vegetable very video village visit voice
    wait waiter wake walk wall want warm wash watch water way we wear weather website wednesday week
    weekend welcome well west what when where which while white who why wife will win window winter
    with without woman wonderful word work worker world worry would write wrong year yellow yes
    yesterday yet you young your zero ok okay yeah hi goodbye bye""".split()
)

B1 = frozenset(
    """ability able abroad absolutely accept accident according account achieve achievement
    actually advantage adventure advertise advertisement advice advise afford against agency
    agreement aim allow alternative although amazing ambition amount ancient announce annoyed annual
    anxious apart apologise apologize appear application apply appointment appreciate approach
    approve argue argument arrange arrangement article artist attach attack attempt attend attention
    attitude attract audience available average avoid award aware background balance base basic
    basis battle bear beat behave behaviour belong benefit bit blame blank blind block border borrow
    boss bother brain branch brand brave brief bright brilliant budget burn calm campaign cancel
    candidate capable career cash cause celebrate celebration challenge champion chance character
    charge charity chat chemical choice citizen claim clever client climate coach collect colleague
    combine comfortable comment commercial common communicate communication community compare
    comparison compete competition complain complaint complete completely condition conference
    confident confirm confuse connect connection consider contact contain content continue contract
    control convenient conversation convince cooperate correct costume couple courage cover crash
    create creative credit crew crime criminal crisis critic criticise criticize crowd culture
    curious current customer damage data deal death debate decision deep defend definitely degree
    delay deliver demand department depend describe description deserve design desire destroy detail
    determined develop development device diet difference direct direction directly director disagree
    disappear disappointed discover discuss discussion disease display distance divide document
    doubt download draft drama duty earn economy edge edit education effect effective efficient
    effort elect election electric electricity element emergency emotion employ employee employer
    empty encourage energy engine engineer entertain entertainment environment equal equipment error
    escape especially essay establish estimate even event eventually evidence exact exactly examine
    exchange exist expect expectation experience experiment expert explore express extra extremely
    facility fail failure fair familiar fashion fault fear feature fee feeling female fiction figure
    file final finally financial firm fit fix focus force foreign form former fortunately forward
    found frankly freedom frequent fresh frighten fuel function fund further gain gap general
    generation generous global goal government graduate grade guarantee guide habit handle hang
    harm heat hide hire hold huge human humour identify ignore illness image imagine impact
    improve improvement include including income increase incredible independent indeed indicate
    individual industry influence inform injury insist inspire instance instead instruction intend
    interview introduce introduction invent invest investigate involve issue item judge justice
    knowledge lack land launch lead leader leadership legal level limit link local locate lucky
    mainly maintain major manage management manager mark material matter measure media medium
    memory mental mention method military minor mix mobile modern monitor mood motivate national
    natural necessary negative negotiate nervous network normal normally note notice object obvious
    obviously occasion occur offer official operate opportunity oppose option ordinary organisation
    organise organization organize original otherwise output overall owner pace pack pain
    particular particularly patient pattern peace per perform performance period permanent permission
    personal personality persuade physical pleasure plenty point policy polite political pollution
    position positive possibility potential power powerful prepare presentation pressure prevent
    previous pride principle print priority private prize probably process produce product
    production professional profit progress promise promote proof proper properly propose protect
    proud prove provide public publish purpose quality quantity quarter range rate rather reach
    react reaction realise realize reasonable receive recent recently recognise recognize recommend
    record recover reduce refer reflect refuse region regular reject relationship release relevant
    rely remain remind remove repair replace reply report represent request require research
    resource respect respond responsibility responsible rest result review reward rise risk role
    routine rude salary satisfied save scared schedule score search secret section secure security
    select senior sense separate series serious serve service session set settle several severe
    shape shock signal significant similar simple simply single site situation skill social
    society software solution solve source specific speech speed staff stage standard state
    statement step stress stressful strict strong structure style succeed success successful
    suffer suggest suggestion suit suitable supply support suppose surprise surprised survey survive
    suspect system target task technical technique technology temporary tend term text theory
    therefore threat tip tool topic total tough track trade tradition traditional traffic training
    treat trend trouble trust truth typical unfortunately unit unless update upset urgent value
    various version view violent volunteer vote warn warning waste weak wealth weigh whatever
    whereas whether whole wide wild willing wish wonder worth""".split()
)


def lemma_candidates(word: str) -> list[str]:
    """Possible base forms of an inflected word, the word itself first."""
    w = word.lower()
    out = [w]
    if w.endswith("ies") and len(w) > 4:
        out.append(w[:-3] + "y")
    if w.endswith("ied") and len(w) > 4:
        out.append(w[:-3] + "y")
    for suffix in ("ing", "ed", "es", "s", "er", "est", "ly", "ness", "ment", "ful"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            base = w[: -len(suffix)]
            out += [base, base + "e"]
            if len(base) > 2 and base[-1] == base[-2]:
                out.append(base[:-1])
    if w.endswith("'s") or w.endswith("n't"):
        out.append(w.split("'")[0])
    return out


IRREGULAR = {
    "went": "go", "gone": "go", "was": "be", "were": "be", "been": "be", "did": "do", "done": "do",
    "had": "have", "has": "have", "made": "make", "took": "take", "taken": "take", "got": "get",
    "gotten": "get", "saw": "see", "seen": "see", "came": "come", "knew": "know", "known": "know",
    "thought": "think", "told": "tell", "said": "say", "gave": "give", "given": "give", "found": "find",
    "left": "leave", "felt": "feel", "kept": "keep", "began": "begin", "begun": "begin", "brought": "bring",
    "bought": "buy", "wrote": "write", "written": "write", "spoke": "speak", "spoken": "speak",
    "ran": "run", "met": "meet", "led": "lead", "built": "build", "sent": "send", "spent": "spend",
    "taught": "teach", "caught": "catch", "chose": "choose", "chosen": "choose", "fell": "fall",
    "held": "hold", "lost": "lose", "paid": "pay", "sold": "sell", "stood": "stand", "understood":
    "understand", "won": "win", "ate": "eat", "eaten": "eat", "drank": "drink", "drove": "drive",
    "flew": "fly", "forgot": "forget", "grew": "grow", "heard": "hear", "slept": "sleep", "men": "man",
    "women": "woman", "children": "child", "people": "person", "better": "good", "best": "good",
    "worse": "bad", "worst": "bad", "am": "be", "is": "be", "are": "be", "i'm": "i", "it's": "it",
}


def known_at(level: str) -> frozenset[str]:
    """The words a learner at `level` (CEFR A1..C2, or beginner/intermediate/advanced) knows."""
    rank = level_rank(level)
    return A2_CORE if rank <= 2 else A2_CORE | B1


def level_rank(level: str) -> int:
    """A1=1 .. C2=6; "beginner"=1, "elementary"=2, "intermediate"=3, "upper"=4, "advanced"=5."""
    key = (level or "").strip().lower()
    named = {"beginner": 1, "elementary": 2, "pre-intermediate": 2, "intermediate": 3,
             "upper-intermediate": 4, "upper intermediate": 4, "advanced": 5, "proficient": 6}
    if key in named:
        return named[key]
    cefr = {"a1": 1, "a2": 2, "b1": 3, "b2": 4, "c1": 5, "c2": 6}
    return cefr.get(key[:2], 3)


def is_known(word: str, vocabulary: frozenset[str]) -> bool:
    w = word.lower()
    if w in IRREGULAR:
        return IRREGULAR[w] in vocabulary or w in vocabulary
    return any(c in vocabulary for c in lemma_candidates(w))
