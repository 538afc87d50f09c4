"""A held-out set for the embedded evaluator (issue 9): answer pairs written blind, without reading the
evaluator's thresholds, its prototypes or the wording of tests/tools/devset_pairs.py (only the bank's
format and question texts, and the kinds' definitions). The better answer of each pair comes first.
Nothing in the evaluator was tuned on these pairs before they were committed.

Kinds as in devset_pairs.py:

- off_topic: a polished story that answers a different question, against a plain on-topic answer;
- buzzword: STAR words, a percentage and jargon wrapped around no story, against a concrete one;
- wrong: a confident, fluent but wrong technical explanation, against a correct plainer one;
- graded: two on-topic answers, one clearly more complete and specific than the other;
- rambling: a concise complete answer, against one that buries the same content in digressions.

PAIRS use bank questions none of which appear in devset_pairs.py. TYPED are questions a user types
(`score --question`), not in the bank: the evaluator matches them to the nearest bank question.
"""

from __future__ import annotations

KINDS = ("off_topic", "buzzword", "wrong", "graded", "rambling")

PAIRS: list[tuple[str, str, str, str]] = [
    # ------------------------------------------------------------------ off-topic
    ("off_topic", "be-transactions",
     "A transaction groups several changes so that they all happen or none of them do. It also keeps "
     "the data valid, isolates it from other transactions, and once it is committed it survives a "
     "crash. Isolation levels matter when two transactions touch the same rows at once: at read "
     "committed a value can change between two reads, so for booking the last seat you need a row lock "
     "or serializable.",
     "When a junior developer joined my team, I paired with her twice a week, gave her small tickets "
     "first and reviewed her pull requests in detail. After three months she was leading her own "
     "feature and her review comments were among the most useful on the team. My manager asked me to "
     "write up the onboarding plan for the other teams."),
    ("off_topic", "bh-ethics",
     "My manager asked me to mark a feature as tested for an audit when we had only tested half of it. "
     "I told him I was not comfortable signing that, and offered to finish the remaining tests in two "
     "days instead. He was annoyed at first, but we moved the audit by two days, I finished the tests, "
     "and we found one real bug before it reached the customer.",
     "Our search page took eight seconds to load. I profiled it, found an unindexed join and a loop "
     "that called the database for every row, rewrote it as one query and added a cache. Load time "
     "went down to under one second and the support tickets about slowness stopped completely."),
    ("off_topic", "ds-clustering",
     "There is no label to check against, so I look at several things. The silhouette score tells me "
     "whether clusters are compact and well separated. I check stability: rerun with other seeds or on "
     "a bootstrap sample and see whether the same groups come back. And I check whether the clusters "
     "mean something, for example whether the segments behave differently on a metric we did not "
     "cluster on.",
     "At my last job I ran an experiment on the checkout button. I calculated the sample size, ran it "
     "for two full weeks, and the new version raised conversion by 4 percent with a p-value below "
     "0.01. The product team shipped it the next sprint and I presented the results to leadership."),
    ("off_topic", "pm-pricing",
     "I would start from the value the tier gives and who it is for. I'd ask customers what they would "
     "pay and what they compare us to, look at competitors' prices, and check our costs so the tier is "
     "profitable. Then I'd test two price points with different segments or in a small pilot, and "
     "watch conversion and upgrades from the lower tier before rolling it out.",
     "I managed a team spread over three time zones. I set up a weekly written update, moved our "
     "standup to a time that worked for everyone, and created a shared decision log. Over six months "
     "our missed handovers fell by half and the team survey score on clarity went up a lot."),
    ("off_topic", "fe-hooks",
     "The usual problems are effects that run too often and effects that read stale values. If you "
     "forget a dependency, the effect sees old state; if an object created during render is in the "
     "dependency list, it runs on every render and can loop when it sets state. Subscriptions and "
     "timers need a cleanup function or they leak. I keep dependencies honest with the lint rule, "
     "derive values during render instead of syncing them in an effect, and always return cleanups.",
     "We had a bug where the payment form froze only on older iPhones. I reproduced it on a real "
     "device, found that Safari handled the date input differently, replaced it with our own date "
     "picker and added that device to our test matrix. The complaints stopped within a week."),
    ("off_topic", "bh-risk",
     "Two months before a launch I noticed that our payment provider's contract ended one week after "
     "the launch date, and nobody owned the renewal. I raised it in the planning meeting, found the "
     "person in finance who could sign, and put a fallback provider on the risk list. The contract was "
     "renewed in time and the launch went ahead without a gap.",
     "My colleague and I disagreed on whether to use GraphQL or REST for a new service. We each wrote "
     "down our arguments, ran a one-day spike, and agreed on REST for now because the team knew it "
     "better. We documented the decision and both of us felt heard."),
    ("off_topic", "be-deadlock",
     "A deadlock happens when two transactions or threads each hold a lock the other one needs, so "
     "both wait forever: one updates row A then row B, the other B then A. You prevent it by always "
     "taking locks in the same order, keeping transactions short, and using lock timeouts. Databases "
     "detect deadlocks and abort one transaction, so the code should retry it.",
     "I was on call when our checkout service started returning errors at two in the morning. I "
     "checked the dashboards, saw the database connection pool was exhausted, rolled back that "
     "evening's deploy and the errors stopped within ten minutes. The next day I wrote the postmortem "
     "and we added an alert on the pool size."),
    # ------------------------------------------------------------------ buzzword-stuffed
    ("buzzword", "bh-decision",
     "We had to pick a new SMS vendor before the old one shut down, and prices for our volume were not "
     "published. I asked the two main vendors for a one-week trial, sent real traffic from one region "
     "through each, and chose the one with fewer failed deliveries. I wrote down that the price could "
     "change, and we renegotiated it three months later.",
     "In that Situation I leveraged a data-driven, agile mindset. My Task was to align stakeholders "
     "around a decision framework. The Action was to synergise cross-functional insights and drive "
     "ownership end to end. The Result was a 40 percent improvement in decision velocity and strong "
     "impact across the organisation."),
    ("buzzword", "be-migration",
     "I do it in steps so that old and new code both work. First I add the new column as nullable, "
     "deploy code that writes to both columns, backfill old rows in small batches, switch reads to the "
     "new column, and only drop the old column in a later release. For big tables I use an online "
     "schema change tool so the table is not locked.",
     "Situation: we needed zero-downtime schema evolution. Task: ensure seamless continuous delivery. "
     "Action: I applied best-practice migration strategies with a robust, scalable, cloud-native "
     "approach. Result: 100 percent uptime and a 50 percent reduction in deployment risk."),
    ("buzzword", "bh-persuade",
     "I wanted our team to move from big Friday deploys to small daily releases. People were worried "
     "about breaking things, so I proposed trying it for one month on one service, and set up a "
     "one-click rollback first. After the month we had twelve small releases and no incidents, and the "
     "team voted to do the same for the other services.",
     "Situation: I identified a key opportunity. Task: to champion innovation. Action: I leveraged my "
     "stakeholder management and storytelling skills to drive buy-in and alignment. Result: adoption "
     "increased by 35 percent, delivering significant value and transformational impact."),
    ("buzzword", "ds-gradient-boosting",
     "It builds many small decision trees one after another. Each new tree is fitted to the errors of "
     "the trees so far, the gradient of the loss, and its prediction is added with a small learning "
     "rate. I use it for tabular data with mixed features, where it is usually very strong, and I "
     "limit the number and depth of trees with early stopping because it can overfit.",
     "Gradient boosting is a powerful, state-of-the-art ensemble paradigm. In my experience, leveraging "
     "it delivered a 30 percent uplift in accuracy. It is all about robust, scalable, end-to-end "
     "machine learning pipelines that drive business value and actionable insights."),
    ("buzzword", "pm-stakeholders",
     "Sales wanted a custom report for a big customer, support wanted fewer bug tickets, and both "
     "wanted the same two engineers in March. I put both requests in one table with the revenue at "
     "risk and the ticket volume, met both leads together, and we agreed on two weeks of bug fixes "
     "first and the report after. The customer got the report in April and renewed.",
     "In this situation I owned the stakeholder alignment task. My action was to drive a holistic, "
     "customer-centric strategy and leverage synergies between teams. As a result we achieved 25 "
     "percent better alignment and a win-win outcome with full buy-in and ownership."),
    ("buzzword", "fe-caching",
     "The server sends headers that tell the browser how long it may keep each file. Files with a "
     "content hash in their name, like app.3f2a.js, get Cache-Control max-age of a year and immutable, "
     "because a new build gets a new name. The HTML itself gets no-cache, so the browser checks it "
     "with an ETag every time and picks up the new file names.",
     "Browser caching is about leveraging a robust, performant, best-practice strategy. We optimised "
     "our caching layer holistically and saw a 60 percent improvement in performance metrics, which "
     "drove better user engagement and business KPIs."),
    ("buzzword", "bh-goal",
     "I wanted to pass the AWS solutions architect exam within three months while working full time. "
     "I booked the exam date first so I could not push it back, studied an hour every morning, and "
     "did a practice test every Sunday. I failed the first practice tests, focused on networking where "
     "I was weakest, and passed two days before my deadline.",
     "I set a SMART stretch goal aligned with the company vision. I broke it down into OKRs, leveraged "
     "my growth mindset and drove execution with passion and accountability. The result was that I "
     "exceeded the target by 150 percent and delivered outstanding impact."),
    # ------------------------------------------------------------------ confidently wrong
    ("wrong", "be-n-plus-one",
     "It happens when code loads a list with one query and then runs another query for each item, for "
     "example fifty orders and then each order's customer separately, so fifty-one queries. You fix it "
     "by loading the related rows in one go, with a join or an IN query, or the ORM's eager loading.",
     "The N plus one problem is when your database has N replicas plus one primary, so every write "
     "has to be copied N plus one times. You fix it by reducing the number of replicas or by putting "
     "a faster network between them."),
    ("wrong", "be-auth",
     "Authentication is finding out who the caller is, for example by checking a password or "
     "verifying a token. Authorization is deciding what that known user may do, like whether they can "
     "delete this project. You authenticate each request and check authorization on every action, "
     "usually with roles or ownership rules.",
     "Authentication and authorization are basically the same thing, authorization is just the newer "
     "name. Both mean checking the user's password, and once the password is right the user can do "
     "everything in the system, so you only need to check it once at login."),
    ("wrong", "ds-bias-variance",
     "Bias is error from a model that is too simple to capture the pattern, so it underfits. Variance "
     "is error from a model that is too sensitive to its training sample, so it overfits and changes a "
     "lot with new data. A more flexible model lowers bias but raises variance, so you pick the "
     "complexity where validation error is lowest.",
     "Bias is when the data is unfair to some group, and variance is how spread out the target values "
     "are. The trade-off is that removing bias from the dataset always increases the variance of the "
     "labels, so you should keep some bias to make the model stable."),
    ("wrong", "fe-ssr",
     "Server rendering helps when the first view matters: the HTML arrives with its content, so it "
     "shows sooner and search engines can read it, which suits public pages like articles or product "
     "listings. It costs server work, and the page is interactive only after hydration. For a "
     "logged-in dashboard that lives in the browser, client rendering is often simpler.",
     "You should render on the server whenever the page has any JavaScript, because browsers cannot "
     "run JavaScript safely. Server rendering also makes every click faster, since interactions are "
     "handled on the server without any network round trip."),
    ("wrong", "ds-ab-sample-size",
     "I decide before starting. From the baseline conversion and the smallest effect worth detecting "
     "I compute the sample size for the power I want, say 80 percent, and divide by daily traffic. I "
     "run at least one or two full weeks to cover weekday patterns, and I don't stop early because the "
     "p-value dipped, since peeking inflates false positives.",
     "You run the test until the p-value drops below 0.05 and then you stop right away, because that "
     "means the result is significant. If it does not get there in a day or two, the feature has no "
     "effect and you can end the test."),
    ("wrong", "be-consistency",
     "It means that after a write, some replicas may return the old value for a short time, but if no "
     "new writes come they all converge to the same value. It is fine when a slightly stale read does "
     "no harm, like a like counter or product reviews, and not for an account balance, where you need "
     "to read your own write at once.",
     "Eventual consistency means the data is only consistent at the end of the day, when a nightly "
     "batch job fixes all the errors. It is never acceptable in a real product, because users would "
     "see corrupted data all day long."),
    ("wrong", "fe-images",
     "I serve images at the size they are shown with srcset, use modern formats like WebP or AVIF, and "
     "compress them. Images below the fold get lazy loading, and I set width and height so the layout "
     "does not jump. The main hero image I load early with high priority, since it is often the "
     "largest contentful paint.",
     "The best way is to convert every image to PNG, since PNG is the most compressed format, and to "
     "load all images at the top of the page at once so they are cached before the user scrolls."),
    ("wrong", "ds-overfitting",
     "I see it when training error keeps going down but validation error goes up, so I always keep a "
     "held-out set or use cross-validation. To prevent it I use a simpler model or regularisation, more "
     "data, early stopping, and depth limits for trees, and I check that no feature leaks the answer.",
     "Overfitting is when the model has too little data to learn, so the fix is to add more features "
     "and train for more epochs until training accuracy reaches 100 percent. When training accuracy is "
     "perfect, the model cannot overfit."),
    # ------------------------------------------------------------------ graded quality
    ("graded", "be-debug-prod",
     "Our invoices sometimes had the wrong total, only in production. The logs showed it happened only "
     "for customers in two time zones, so my hypothesis was a date boundary problem. I reproduced it "
     "with a production-like timezone setting, found we computed the billing day in the server's local "
     "time, fixed it to use UTC, and added a test for midnight cases and an alert when totals do not "
     "match the line items.",
     "There was a bug that only happened in production. I looked at the logs and found the issue, "
     "then I fixed it and deployed the fix. After that it was fine."),
    ("graded", "ds-sql-window",
     "I'd use a window function: SUM of the amount OVER a window partitioned by user id and ordered by "
     "purchase time, from the first row up to the current row. The partition restarts the total for "
     "each user and the ordering makes it cumulative. If two purchases share a timestamp I add the "
     "purchase id to the ordering so the result is deterministic.",
     "I would use SQL with a sum of the purchases for each user, maybe with a group by on the user. "
     "That gives the total."),
    ("graded", "pm-north-star",
     "I'd look for the one metric that shows users getting the value the product promises, that leads "
     "to revenue, and that the team can move. For a music app that could be hours listened per week "
     "rather than sign-ups. I'd check in our data that it goes with retention, and pair it with "
     "guardrail metrics like churn and complaints so nobody games it.",
     "I'd choose a metric that is important for the company, like the number of users or revenue, and "
     "track it over time on a dashboard."),
    ("graded", "bh-mistake",
     "I once ran a cleanup script against production instead of staging and deleted about two hundred "
     "demo accounts the sales team was using. I told my lead within ten minutes, restored them from "
     "the previous night's backup, and called the sales lead to explain. Afterwards I added a prompt "
     "that shows the environment name before the script runs, and production credentials are no "
     "longer on my laptop by default.",
     "I made a mistake with a script once that deleted some data. I told my manager and we fixed it. "
     "I learned to be more careful."),
    ("graded", "fe-state",
     "I keep state as close as possible to where it is used: a form input's value stays in its "
     "component. When siblings need it, I lift it to their common parent. Server data goes into a "
     "query cache rather than global state, and only app-wide things like the logged-in user or the "
     "theme go into context or a store. State that should survive a reload, like filters, goes in the "
     "URL.",
     "It depends on the app. Some state goes in components and some goes in a global store like "
     "Redux."),
    ("graded", "be-scaling",
     "First I'd find what breaks first from the metrics: CPU, database connections, latency per "
     "endpoint. The stateless app servers scale out behind the load balancer with autoscaling. The "
     "database is usually the bottleneck, so I'd add read replicas, cache hot reads and move slow work "
     "like emails onto a queue. I'd add rate limits and load test at ten times the traffic.",
     "I would add more servers and maybe a bigger database so it can handle the traffic."),
    ("graded", "bh-change",
     "Two weeks before our release the client told us their legal team would not accept storing data "
     "in the US. I paused new feature work, listed what depended on the region, and with the team "
     "moved our database and file storage to an EU region in five days. We cut one minor feature to "
     "make room, told the client on the first day what would slip, and shipped on the original date.",
     "Our plans changed once when the client had new requirements. I adapted quickly and the team "
     "worked hard, and in the end it worked out."),
    # ------------------------------------------------------------------ rambling
    ("rambling", "bh-priorities",
     "In one sprint I had a security fix, two features and a conference talk to prepare. I ranked them "
     "by impact and deadline, kept the security fix and the feature a customer was waiting for, asked "
     "my manager to move the second feature to the next sprint, and gave my talk slot to a colleague. "
     "The fix and the feature shipped on time.",
     "So, um, this was, I think, about two years ago, or maybe a bit more, around the time we moved "
     "offices, which was a whole story by itself because the new office had no coffee machine for "
     "weeks. Anyway, in one sprint I had, let me think, a security fix, and two features, and also a "
     "conference talk, which I was quite excited about actually, I love conferences. So I sort of "
     "ranked them, like, by impact and deadline, and I kept the security fix and the feature a "
     "customer was waiting for, and then I asked my manager, who was great by the way, very "
     "supportive, to move the second feature, and I gave my talk slot to a colleague, which was sad. "
     "And yeah, the fix and the feature shipped on time, more or less."),
    ("rambling", "be-api-design",
     "I'd model two resources, lists and tasks: GET and POST on the tasks of a list, PATCH and DELETE "
     "on a single task. Return 201 on create, 404 when it does not exist, 422 for invalid input like "
     "an empty title. Validate input on the server, and paginate the task list with a limit and a "
     "cursor.",
     "Okay so an API, right, for a to-do list, which funnily enough is what everyone builds when they "
     "learn a framework, I built like five of them at university, one in PHP even, which I don't "
     "recommend. So basically, I guess you'd have, um, resources, lists and tasks I suppose, and you'd "
     "do GET and POST on the tasks of a list, and PATCH and DELETE on a task, though people argue a "
     "lot online about PUT versus PATCH, there's a whole famous debate. And status codes, 201 on "
     "create, 404 if it's not there, 422 for bad input like an empty title, and validation on the "
     "server obviously, and, oh, pagination with a limit and a cursor, I almost forgot, because lists "
     "get long, mine certainly do, ha."),
    ("rambling", "ds-stakeholder",
     "I had to explain to our sales directors why the churn model flagged customers they thought were "
     "happy. I dropped the model details and showed three real customers with the signals that "
     "mattered, falling logins and unanswered support tickets, on one slide. They agreed to call the "
     "top fifty flagged accounts and saved twelve of them that quarter.",
     "Right, so, this is a good one, I think. The sales directors, who are, you know, very busy people "
     "and not really into numbers, well some of them are, one of them was an engineer before, funny "
     "story, anyway, they didn't get why the churn model flagged customers they thought were happy. "
     "And at first I, um, I had this deck with like forty slides of feature importance and curves, "
     "which in hindsight, yeah. So I dropped all that, basically, and showed three real customers, "
     "with the signals that mattered, like falling logins and unanswered support tickets, on one "
     "slide, maybe two. And they agreed to call the top fifty accounts, and I believe they saved twelve "
     "of them that quarter, which was nice, I even got a mention at the all-hands."),
    ("rambling", "pm-okr",
     "An objective is a short, inspiring goal, like making onboarding effortless. Key results are "
     "three or four measurable outcomes that show we got there, such as raising day-seven activation "
     "from 30 to 40 percent, not a list of tasks. I keep them few, agree them with the team, and check "
     "them every few weeks.",
     "Hmm, OKRs, well, we've had so many discussions about these at my company, honestly, every "
     "quarter it's a whole thing, with spreadsheets and workshops and, um, I remember once we spent a "
     "full day on it, off-site, with pizza. But, so, the objective, I'd say, is a short kind of "
     "inspiring goal, like, say, making onboarding effortless, something like that. And then the key "
     "results, they're like three or four measurable outcomes, I think, that show you got there, like "
     "raising day-seven activation from 30 to 40 percent, and not just a list of tasks, which is what "
     "people always do, I've done it too to be fair. And you keep them few, agree them with the team, "
     "and check them every few weeks or so, if you remember to, ha."),
    ("rambling", "bh-difficult-person",
     "A colleague often rejected my pull requests with one-word comments, which frustrated the team. I "
     "asked him for a coffee and found out he was overloaded and reviewing at night. We agreed on a "
     "short review checklist and I took over some of his reviews. His comments became clearer and our "
     "review time dropped from three days to one.",
     "Oh, difficult people, where do I start, ha, no, I'm kidding, mostly. So there was this "
     "colleague, really smart guy actually, he'd worked at a big tech company before, I think, or "
     "maybe a startup, I don't remember, and he used to reject my pull requests with, like, one-word "
     "comments, and that was, honestly, pretty frustrating for everyone. So at some point I asked him "
     "for a coffee, we went to this little place near the office, and it turned out he was overloaded "
     "and reviewing at night, poor guy. And we agreed on, um, a short checklist for reviews, and I took "
     "some of his reviews, and after that his comments were clearer, and, I think, our review time "
     "went from like three days to one, roughly."),
    ("rambling", "fe-responsive",
     "I start mobile first with a fluid layout: flexbox or grid, widths in percentages or fr units, "
     "and a few media queries where the content breaks, not one per device. Images get max-width 100 "
     "percent and srcset, touch targets are at least 44 pixels, and I test on a real phone as well as "
     "in the browser's device mode.",
     "So, layouts, right, this has changed so much since I started, back then we had separate mobile "
     "sites, remember those, and tables for layout, crazy times. Anyway, today I, um, I kind of start "
     "mobile first, I think, with a fluid layout, flexbox or grid, whatever fits, and widths in "
     "percentages or fr units, and then some media queries where the content breaks, not per device, "
     "because there are like a thousand devices, my mum has one I've never heard of. And images get "
     "max-width 100 percent and srcset, and touch targets at least 44 pixels, I read that somewhere, "
     "and I test on a real phone, and also the browser's device mode, though that's not quite the "
     "same, as we all know."),
    ("rambling", "be-testing",
     "Unit tests for logic with many cases and no IO, like pricing rules or parsing, because they are "
     "fast and pinpoint the failure. Integration tests for the seams: real database queries, HTTP "
     "handlers, a message consumer, since those break in ways mocks hide. And a few end-to-end tests "
     "for the main user paths only, because they are slow and flaky.",
     "Well, testing, it's a bit of a religious topic isn't it, people have the test pyramid and the "
     "test trophy and, um, the honeycomb I think, I saw a talk about that once, a really long talk. "
     "But anyway, for me, unit tests are for logic with lots of cases and no IO, like, say, pricing "
     "rules or parsing, because they're fast and they kind of pinpoint where it broke. Then "
     "integration tests for the seams, like the real database queries and the HTTP handlers, and maybe "
     "a message consumer, because those break in ways that mocks hide, which I learned the hard way, "
     "long story. And then a few end-to-end tests for the main user paths, only a few though, because "
     "they're slow, and honestly flaky, everyone hates them on my team."),
]

# Questions typed by a user (not in the bank): (kind, question text, better, worse).
TYPED: list[tuple[str, str, str, str]] = [
    ("off_topic", "Tell me about a time you pushed back on a product manager's request.",
     "Our product manager wanted a discount feature added two days before a release. I showed her the "
     "tests it would skip and the risk for the payment code, and proposed shipping it a week later "
     "behind a feature flag. She agreed after checking with sales, and it went out a week later "
     "without problems.",
     "I had to learn Kubernetes in two weeks for a new project. I did the official tutorial, set up a "
     "small cluster at home, and asked the platform team to review my first deployment. By the end of "
     "the month I was deploying our service on my own."),
    ("wrong", "What is the difference between a process and a thread?",
     "A process has its own memory space and resources; a thread runs inside a process and shares its "
     "memory with the other threads of that process. Threads are cheaper to start and can share data "
     "directly, but then they need locks against race conditions. Processes are isolated, so one "
     "crashing does not take the others down.",
     "A thread is bigger than a process: one thread contains many processes, and threads never share "
     "memory, which is why threads are always safer than processes and never need any locks."),
    ("graded", "How do you make sure a schema change does not break production?",
     "I make every change backward compatible: add columns as nullable, deploy code that handles both "
     "the old and new shape, backfill in batches, and remove the old column only in a later release. I "
     "rehearse the migration on a copy of production data to see how long it locks, and keep a "
     "rollback script ready.",
     "I test the migration first and then run it carefully in production."),
    ("buzzword", "Describe a time you had to give bad news to a client.",
     "We found that a data export we had promised for Friday would be two weeks late because the "
     "client's old system sent dates in three formats. I called the client on Tuesday rather than "
     "waiting, explained the cause with two example records, and offered a partial export of the "
     "clean records on Friday. They accepted, and the full export arrived twelve days later.",
     "Situation: a challenging client engagement. Task: manage expectations proactively. Action: I "
     "leveraged transparent, empathetic communication and a solution-oriented mindset. Result: client "
     "satisfaction rose by 45 percent and we strengthened a strategic long-term partnership."),
    ("rambling", "How would you explain a p-value to a manager?",
     "I'd say: if the change really did nothing, the p-value is how often we would still see a "
     "difference this big just by chance. A small p-value means chance alone is an unlikely "
     "explanation. It does not tell us how big or how valuable the effect is, or that the change is "
     "certainly real.",
     "Oh, p-values, everyone gets these wrong, honestly, even in papers, there was a whole scandal "
     "about it, the replication crisis, I read a book about it on holiday once, in Spain I think. "
     "Anyway, um, I'd say, if the change really did nothing, then the p-value is, like, how often we "
     "would still see a difference this big, you know, just by chance, roughly. And a small one means "
     "chance alone is, kind of, an unlikely explanation, I guess. But it doesn't tell you how big or "
     "how valuable the effect is, which managers always want to know, mine certainly does, or that "
     "the change is certainly real, which is a common mistake, I've made it myself."),
    ("graded", "How would you measure whether a new search feature is working?",
     "I'd define success as people finding what they look for: the share of searches followed by a "
     "click or a purchase, time to that click, and how often people search again right away or leave "
     "with no result. I'd run it as an A/B test against the old search, with revenue per visitor and "
     "page speed as guardrails.",
     "I'd look at how many people use the search feature and whether they like it."),
]
