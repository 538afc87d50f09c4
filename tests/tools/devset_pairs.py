"""The evaluator's dev set, written for this project: answer pairs to bank questions, the better one
first. Five kinds of the hard cases an interviewer meets:

- off_topic: a polished story that answers a different question, against a plain on-topic answer;
- buzzword: STAR words, a percentage and jargon wrapped around no story, against a concrete one;
- wrong: a confident, fluent but wrong technical explanation, against a correct plainer one;
- graded: two on-topic answers, one clearly more complete and specific than the other;
- rambling: a concise complete answer, against one that buries the same content in digressions.
"""

from __future__ import annotations

KINDS = ("off_topic", "buzzword", "wrong", "graded", "rambling")

PAIRS: list[tuple[str, str, str, str]] = [
    # ------------------------------------------------------------------ off-topic
    ("off_topic", "bh-deadline",
     "We had a client demo moved forward by a week. I listed what the demo really needed, dropped the "
     "reporting page, and asked a colleague to take the login work. We worked two late evenings and the "
     "demo went fine, and the reporting page shipped the week after.",
     "At my last company I disagreed with a senior colleague about our code review rules. I set up a "
     "meeting, listened to his concerns and proposed a compromise where small changes needed one "
     "reviewer. As a result review time dropped by 30 percent and we became good friends."),
    ("off_topic", "be-index-writes",
     "Indexes help reads, but every insert and update has to change the index as well, so a table that "
     "gets lots of writes gets slower. They also use disk space. And an index on a column with only a "
     "few values is often ignored by the planner.",
     "In my previous role I led the migration of our payment service to Kubernetes. I planned the "
     "rollout in three phases, trained the team and set up monitoring dashboards. In the end we moved "
     "forty services with zero downtime and cut hosting costs by a quarter."),
    ("off_topic", "fe-event-loop",
     "JavaScript runs on one thread. When a timer or a network response finishes, its callback waits in "
     "a queue until the call stack is empty. Promise callbacks are microtasks, so they run before the "
     "next timer. That is why a long loop freezes the page.",
     "Last year I improved our checkout page accessibility. I ran an audit with a screen reader, fixed "
     "the missing labels and the focus order, and added automated checks in CI. Complaints from users "
     "with screen readers dropped to zero and legal signed off on the release."),
    ("off_topic", "ds-leakage",
     "Leakage means the model sees information during training that it will not have when it predicts. "
     "For example if you scale the whole dataset before splitting, the test data leaks into training. "
     "Your scores then look great offline but drop in production.",
     "At my last job our churn model had to be ready for a board meeting in four days. I narrowed the "
     "scope to the top three customer segments, reused an existing feature pipeline and presented the "
     "results with clear caveats. The board approved the retention budget that same day."),
    ("off_topic", "pm-churn",
     "First I'd check whether the churn definition or tracking changed. Then I'd split churn by cohort, "
     "plan and channel to see where it went up, and look at what we released or changed in pricing "
     "recently. And I'd call a few customers who left to ask why.",
     "When I launched our mobile app, I coordinated design, engineering and marketing across three time "
     "zones. I wrote the launch plan, ran weekly syncs and handled the press release. We hit number one "
     "in our category on launch day with fifty thousand downloads."),
    ("off_topic", "bh-weakness",
     "I find it hard to delegate. On my last project I kept the hardest tickets myself and became the "
     "bottleneck before a release. Now I hand over one real task each sprint and review it with the "
     "person instead of doing it, and my team lead says it is working.",
     "I'm most proud of rebuilding our onboarding flow. I interviewed twenty new users, found that the "
     "sign-up form was too long and cut it from nine fields to three. Activation went up from 40 to 55 "
     "percent in a month, and the design was reused in two other products."),
    ("off_topic", "be-cache",
     "I'd cache the reads that are frequent and don't change much, with a time to live. The risk is "
     "stale data, so for prices I'd invalidate on update. And if lots of requests miss at the same "
     "moment they all hit the slow service, so I'd add a lock or an early refresh.",
     "Our team had a conflict between the backend and mobile developers about API ownership. I brought "
     "both leads together, we wrote down each team's concerns and agreed on a shared contract review. "
     "After that the number of broken releases went from five a quarter to one."),
    ("off_topic", "ds-p-value",
     "A p-value is how likely you would see data this extreme if there was no real effect. A small one "
     "is evidence against the null, not proof that my idea is right, and it doesn't tell you how big or "
     "important the effect is.",
     "I mentored a junior analyst who struggled with SQL. We paired twice a week, I gave her small real "
     "tasks and reviewed her queries. Within three months she owned the weekly revenue report on her "
     "own and was promoted the following year."),
    ("off_topic", "bh-customer",
     "A customer called because his order had arrived broken for the second time. I let him explain, "
     "apologised, and sent a replacement with express shipping the same day. I also flagged the "
     "packaging problem to the warehouse. He ordered again the next month.",
     "In my last role I had to learn Kubernetes in two weeks for a migration. I took an online course, "
     "set up a test cluster at home and paired with our platform engineer. I then migrated our first "
     "service and wrote the runbook the team still uses."),
    ("off_topic", "fe-xss",
     "Cross-site scripting is when someone manages to run their script in another user's page, usually "
     "because untrusted input was put into the page as HTML. React escapes text for you, so the rule is "
     "don't use dangerouslySetInnerHTML with user data, and add a content security policy.",
     "At my previous company our landing page took eight seconds to load. I profiled it, found huge "
     "images and a blocking analytics script, resized the images and deferred the script. Load time "
     "went down to two seconds and sign-ups rose by 12 percent."),
    ("off_topic", "pm-mvp",
     "An MVP is the smallest thing you can put in front of real users to test your riskiest assumption. "
     "So you only build what you need to learn if people get value, and you decide beforehand what "
     "result would tell you to continue or stop.",
     "I once had to align sales and support, who wanted opposite things from our ticketing tool. I ran "
     "a workshop, found the shared goal of faster responses and proposed a plan both could accept. "
     "Response times fell by half over the next quarter."),
    ("off_topic", "bh-failure",
     "I underestimated a data migration and we missed the cut-over weekend, so the sales team worked in "
     "the old system for another month. I owned it with my manager, re-planned with proper test runs "
     "and did it two weeks later. Since then I always do a full rehearsal first.",
     "My team was fully remote across three countries. I introduced written weekly updates, a shared "
     "decision log and one short call on Mondays. Misunderstandings dropped a lot and our delivery "
     "predictability improved from 60 to 85 percent."),
    ("off_topic", "be-queue",
     "I'd use a queue when the producer shouldn't wait for the consumer, like sending emails after an "
     "order. It absorbs spikes, and each side can fail or scale on its own. But consumers have to cope "
     "with duplicates, so they need to be idempotent, and I'd add a dead letter queue.",
     "When I joined my last team the test suite took forty minutes. I measured the slowest tests, "
     "parallelised the integration suite and replaced sleeps with proper waits. The suite now runs in "
     "nine minutes and developers merge twice as often."),
    # ------------------------------------------------------------------ buzzword-stuffed
    ("buzzword", "bh-lead",
     "On our team nobody owned the flaky test problem. I collected a list of the twenty worst tests, "
     "asked two colleagues to pair with me on Fridays, and we fixed or deleted them over a month. Failed "
     "builds went from about half to one in ten.",
     "In that situation my task was to lead without authority, so the action I took was to drive "
     "alignment and leverage my influence across stakeholders with a growth mindset. The result was a "
     "40 percent improvement in team synergy and overall ownership."),
    ("buzzword", "bh-challenge",
     "Our main supplier went bankrupt two weeks before a product launch. I called three other suppliers, "
     "got samples from two, and convinced my manager to split the order between them. We launched four "
     "days late, but with stock for the whole season.",
     "The situation was very challenging and the task was critical. My action was to take a proactive, "
     "holistic, results-driven approach and to stay agile. As a result, we achieved a 25 percent uplift "
     "in efficiency and delivered exceptional value."),
    ("buzzword", "be-performance",
     "Our search endpoint took about two seconds. I profiled it and saw most of the time went into "
     "loading every product's reviews one by one. I batched that into one query and added an index on "
     "product id. It went down to 300 milliseconds.",
     "The situation was that performance was not optimal. My task was to optimise. The action I took "
     "was applying performance best practices and a data-driven mindset across the stack. The result "
     "was a 50 percent performance improvement and much better scalability."),
    ("buzzword", "bh-conflict",
     "My colleague Anna wanted to release on Friday and I thought the payment tests weren't ready. We "
     "sat down, she explained the sales pressure, I showed her the two failing cases. We agreed to ship "
     "on Monday with those fixed, and she told sales herself.",
     "When conflict arises my approach is situation, task, action, result. I leverage empathy and open "
     "communication to drive consensus and win-win outcomes, which resulted in a 30 percent increase in "
     "collaboration and stakeholder satisfaction."),
    ("buzzword", "ds-impact",
     "I looked at why trial users didn't convert and found that people who connected their calendar in "
     "the first day converted three times more. I showed that to the product team, they moved the "
     "calendar step into onboarding, and conversion went up from 8 to 11 percent.",
     "I leveraged advanced analytics and machine learning to generate actionable insights that drove "
     "data-driven decision making across the organisation. The situation required strategic thinking "
     "and the result was a 35 percent increase in business impact."),
    ("buzzword", "pm-data-decision",
     "We weren't sure whether to build a dark mode or better search. I looked at support tickets and "
     "search logs and saw that a third of sessions ended after a failed search. We built search first, "
     "and sessions with a failed search dropped by half.",
     "My task was to make a data-driven product decision. I took a metrics-first, customer-obsessed "
     "approach and aligned all stakeholders around the insights. The result was a 20 percent increase "
     "in engagement and strong alignment on the roadmap."),
    ("buzzword", "fe-perf-story",
     "Our product page took six seconds on phones. The profiler showed a two megabyte hero image and a "
     "chat widget loading first. I served a resized image, lazy loaded the widget, and the largest "
     "contentful paint went down to about two seconds.",
     "The situation was that the page speed was a challenge. My action was to implement modern frontend "
     "best practices and optimise the user experience end to end. The result was a 60 percent "
     "improvement in performance and user delight."),
    ("buzzword", "bh-initiative",
     "Every month our team spent a day copying numbers into the finance report. I wrote a small script "
     "that pulled them from the database, showed it to finance and they checked it against two old "
     "reports. Now it takes ten minutes.",
     "I always take initiative. In that situation I identified an opportunity, took ownership, and "
     "drove the action with a bias for action and a strong sense of accountability. The result was a "
     "45 percent productivity gain."),
    ("buzzword", "bh-mentoring",
     "A new developer, Tom, was scared of code reviews. I paired with him on his first two pull "
     "requests and explained my comments out loud. After a month he was reviewing other people's code, "
     "and his changes needed fewer review rounds.",
     "I believe in empowering people. The situation was a growth opportunity, my task was to unlock "
     "potential, and the action was coaching with empathy and a growth mindset. The result was a 50 "
     "percent boost in team capability."),
    ("buzzword", "pm-failed-launch",
     "We launched a referral feature and almost nobody used it. I had skipped testing the invite flow "
     "with real users. We interviewed ten users, found the invite button was hidden in settings, moved "
     "it to the share screen, and referrals tripled.",
     "The launch situation had challenges, but I applied a learning mindset and agile principles to "
     "pivot and iterate. My action was to realign the go-to-market and the result was a 30 percent "
     "improvement in launch outcomes."),
    ("buzzword", "bh-pressure",
     "During the year-end close our finance system crashed two days before the deadline. I split the "
     "remaining reports between the three of us, called the vendor every two hours and kept my manager "
     "updated at noon and at six. We filed on time.",
     "I thrive under pressure. In that situation my task was to stay resilient, and the action was to "
     "prioritise strategically and communicate transparently. The result was a 100 percent on-time "
     "delivery and a 20 percent improvement in stakeholder trust."),
    ("buzzword", "ds-simple-model",
     "For churn prediction a colleague built a neural network and I tried logistic regression with five "
     "features. On the same holdout set they were within one point of AUC. We used the regression "
     "because support could understand the reasons it gave.",
     "I always leverage the right model for the right problem. In that situation I drove a "
     "model-agnostic, value-focused approach that optimised the trade-off between complexity and "
     "impact, delivering a 40 percent increase in ROI."),
    ("buzzword", "fe-design-system",
     "The designer wanted a table with drag and drop columns on mobile. I showed her a prototype on a "
     "phone where it was unusable, and we agreed on a card layout for small screens and the table on "
     "desktop. Support tickets about the table stopped.",
     "The situation required cross-functional collaboration. My task was to bridge design and "
     "engineering, and my action was to foster a culture of co-creation and pixel-perfect excellence. "
     "The result was a 35 percent uplift in design velocity."),
    # ------------------------------------------------------------------ confidently wrong
    ("wrong", "be-index-writes",
     "An index helps reads, but inserts and updates get slower because the index has to be updated too. "
     "It also takes space.",
     "Adding an index always makes the database faster, because it speeds up inserts and updates as "
     "well as reads. There is really no downside, which is why I put an index on every single column by "
     "default. The query planner will always use them, so it can only help."),
    ("wrong", "be-cache",
     "A cache speeds up repeated reads, but the data can be stale until the entry expires, so you need "
     "a time to live or invalidation, and you should watch the hit rate.",
     "A cache always returns the most recent data, because it is updated automatically whenever the "
     "database changes. So you can safely cache everything forever, there is no staleness problem, and "
     "memory is never an issue because the cache manages itself."),
    ("wrong", "be-queue",
     "A queue decouples the services and absorbs bursts, but most queues deliver at least once, so the "
     "consumer has to handle duplicates.",
     "The great thing about a message queue is that it guarantees every message is processed exactly "
     "once, so the consumer never sees a duplicate and you don't need idempotency at all. Ordering is "
     "also always guaranteed, so you can just process messages as they come."),
    ("wrong", "fe-event-loop",
     "JavaScript has one main thread. Callbacks wait in queues until the stack is empty, and promise "
     "callbacks run as microtasks before the next timer, so a long loop blocks the page.",
     "In the browser every promise runs on its own background thread, which is why JavaScript is so "
     "fast. setTimeout with zero delay runs the callback immediately, before anything else. So a long "
     "loop never blocks the page, because the work is spread across threads automatically."),
    ("wrong", "ds-p-value",
     "The p-value is the chance of seeing data this extreme if the null hypothesis were true. It's not "
     "the chance that my hypothesis is true, and it says nothing about the effect size.",
     "A p-value of 0.05 means there is a 95 percent probability that our hypothesis is true. So once "
     "you get below 0.05 the effect is proven and it must be large and important. The smaller the "
     "p-value, the bigger the effect, so I always report only the p-value."),
    ("wrong", "ds-correlation",
     "Correlation alone doesn't show cause. Something else could drive both metrics, so I'd look for a "
     "confounder and ideally run an experiment before claiming one causes the other.",
     "If two metrics move together this strongly, then one of them must be causing the other. The "
     "correlation is very high, so we can conclude that increasing the first metric will increase the "
     "second one, and we should invest in it right away."),
    ("wrong", "ds-imbalanced",
     "Accuracy is misleading when one class is rare, so I'd look at precision and recall, use class "
     "weights or resampling, and choose the threshold based on the cost of each error.",
     "Accuracy is the best metric here. If the model gets 99 percent accuracy on a problem where fraud "
     "is rare, then it is an excellent model and ready for production. There is no need to change the "
     "training, because the model learns the rare class just as well."),
    ("wrong", "be-idempotency",
     "An idempotent operation has the same effect no matter how many times you run it. It matters "
     "because clients retry on timeouts, so a payment call needs an idempotency key.",
     "Idempotent means the request always returns exactly the same response, byte for byte, every time "
     "you call it. It matters for caching, not for retries, because retries are always safe: the "
     "server simply processes each request again."),
    ("wrong", "fe-cors",
     "CORS is the browser blocking a page from reading responses from another origin unless the server "
     "allows it with headers. It protects users in the browser, not the API from other clients.",
     "CORS is a security feature that protects your API from attackers. Once you configure CORS, nobody "
     "can call your API except your own website, including scripts and servers, so you don't need "
     "authentication for the endpoints."),
    ("wrong", "ds-leakage",
     "Leakage is when training sees information that won't exist at prediction time. For example the "
     "scaler must be fitted on the training split only, otherwise test data leaks in.",
     "Scaling the whole dataset before splitting is the correct approach, because the model should see "
     "the full range of values. Leakage only happens if you literally copy test rows into the training "
     "set, so preprocessing on all the data is completely fine."),
    ("wrong", "be-async",
     "Async IO helps when a service spends most of its time waiting on the network or disk. For "
     "CPU-heavy work it doesn't help; that needs threads or processes.",
     "Async makes everything faster, including heavy calculations, because the event loop runs the "
     "computation in parallel on all the cores. So if an endpoint is CPU-bound, the fix is to make it "
     "async and it will scale automatically."),
    ("wrong", "ds-regularisation",
     "Regularisation adds a penalty on large weights so the model overfits less. L1 can set weights to "
     "zero and select features, while L2 shrinks them smoothly.",
     "Regularisation is a technique to make the model fit the training data better and get higher "
     "training accuracy. L1 and L2 are basically the same thing, and a stronger penalty always gives a "
     "better model on new data."),
    ("wrong", "fe-typescript",
     "TypeScript catches mistakes at compile time and helps refactoring, but the types are erased at "
     "runtime, so data from an API still has to be validated.",
     "TypeScript checks the types of everything at runtime too, including API responses, so if the "
     "server sends the wrong shape the app catches it automatically. That's why with TypeScript you "
     "never need to validate data from the network."),
    # ------------------------------------------------------------------ graded quality
    ("graded", "be-index-writes",
     "Every write has to update each index, so on a table with heavy inserts and updates, extra indexes "
     "slow writes down. They also cost disk and memory. An index on a column with few distinct values, "
     "like a status flag, is often ignored by the planner. I'd check the query plan before and after.",
     "Indexes can make writes a bit slower, I think, because they have to be kept up to date."),
    ("graded", "bh-conflict",
     "My colleague Priya wanted to rewrite our billing module, and I wanted to patch it because of a "
     "deadline. I asked her to walk me through the problems she saw, and she was right about two of "
     "them. We agreed to patch now and rewrite those two parts next quarter. We shipped on time and "
     "did the rewrite together.",
     "I disagreed with a colleague about how to fix the billing module. We talked about it and in the "
     "end we found a solution that worked for both of us."),
    ("graded", "fe-a11y-forms",
     "Every input needs a visible label linked to it, not just a placeholder. The whole form should "
     "work with the keyboard with a visible focus. Errors should be written in text next to the field "
     "and announced to screen readers, and I'd use native inputs and buttons before custom ones.",
     "I would add labels to the inputs and make sure the colours have enough contrast."),
    ("graded", "ds-cross-validation",
     "You split the data into, say, five folds, train on four and test on the fifth, and rotate. The "
     "average is a more reliable estimate than one split. For time series the folds must respect time "
     "order, and I keep a final test set I don't touch until the end.",
     "Cross-validation is when you split the data several times to test the model."),
    ("graded", "pm-kpi-drop",
     "First I'd check if tracking broke, because a sudden ten percent drop is often a logging bug. Then "
     "I'd look for outages, a release or a holiday yesterday, and split the numbers by platform, region "
     "and app version to find where it dropped. I'd tell stakeholders what we know and when we'll know "
     "more.",
     "I would look at the data to see what happened and talk to the team about it."),
    ("graded", "bh-missed-deadline",
     "I missed the deadline for a partner integration by a week because I didn't account for their "
     "security review. I told the partner and my manager as soon as I knew, ten days before, and "
     "proposed a new date. Now I ask about external reviews in the first planning meeting.",
     "I missed a deadline once because of another team's review. I told my manager and it was fine in "
     "the end."),
    ("graded", "be-rate-limit",
     "I'd use a token bucket per API key, with the counters in Redis so all servers share them. When a "
     "client is over the limit it gets a 429 with a Retry-After header. Different endpoints and plans "
     "get different limits, for example stricter on login.",
     "I would limit how many requests each user can make, maybe with some kind of counter."),
    ("graded", "ds-missing-data",
     "I first look at why values are missing, because missing at random and missing because of the "
     "process need different handling. Then I choose between dropping, imputing with the median or "
     "letting a tree model handle it, and I often add a flag column because missingness can be "
     "predictive. Imputation is fitted on the training data only.",
     "I usually fill in missing values with the average of the column."),
    ("graded", "pm-mvp",
     "The MVP is the smallest experiment that tests our riskiest assumption with real users. For a "
     "meal planning app that was whether people would plan a week ahead, so we shipped a simple planner "
     "with no recipes search, and decided that forty percent weekly return would mean go on.",
     "An MVP is a first simple version of the product that we release early."),
    ("graded", "bh-feedback-give",
     "A teammate kept interrupting people in design reviews. I asked him for a coffee, gave two "
     "specific examples from that week and said how it affected the quieter people. He hadn't noticed. "
     "In the next reviews he started asking others for their view first.",
     "I had to give a teammate feedback about interrupting people. I told him and he said he would try "
     "to change."),
    ("graded", "fe-bundle",
     "I'd run a bundle analyser to see what's big, then split code by route and lazy load rare pages "
     "like settings. Heavy libraries like a full date library can be swapped for lighter ones, and "
     "tree shaking removes unused code. Hashed file names let the browser cache it.",
     "I would try to minify the code and remove some libraries we don't need."),
    ("graded", "ds-drift",
     "I'd monitor the input feature distributions against the training data and alert on big shifts. "
     "When labels come in, even weeks later, I'd track the real accuracy. Retraining goes through the "
     "same validation before deployment, and the previous model stays ready for a rollback.",
     "I would retrain the model from time to time so it stays accurate."),
    ("graded", "bh-learn-fast",
     "I joined a team that used Go, which I had never written. I did the official tour in two evenings, "
     "read our service's code with a colleague, and took a small bug fix in my first week. By the third "
     "week I shipped a new endpoint on my own.",
     "I had to learn Go for a new job. I read about it online and then I was fine."),
    # ------------------------------------------------------------------ rambling
    ("rambling", "bh-deadline",
     "A client moved their launch a week earlier. I listed the must-haves with them, moved the "
     "reporting page to after launch and asked a colleague to take the email templates. We launched "
     "on the new date and shipped reporting a week later.",
     "So, okay, deadlines, yeah, I have had a lot of deadlines, like everybody I guess. This one was, "
     "um, for a client, a big client actually, they are in retail, they sell shoes and also some bags I "
     "think, and their office was really nice, it had a view over the river. Anyway they moved the "
     "launch, I think it was a week, maybe a bit more, earlier. And so we had to, you know, do things "
     "faster. I mean we always try to be fast, that is just how our team is, we are a fast team. So we "
     "talked about it, and talked about it again, and I think we dropped something, the reporting page "
     "maybe, and a colleague helped with the emails. And I remember the coffee machine broke that week "
     "too, which was really bad timing, everyone was tired. Anyway in the end it worked out, more or "
     "less, we launched and it was fine, and yeah, the reporting page came later I think."),
    ("rambling", "be-cache",
     "I'd cache frequent reads that rarely change, with a time to live, and invalidate on writes for "
     "data like prices. I'd protect against a stampede with a lock on refresh and watch the hit rate "
     "and latency.",
     "Caching is a big topic, there are so many kinds of caches, CPU caches, browser caches, CDN caches, "
     "I read a great article about CPU caches once, they have levels, L1, L2, L3, it is fascinating how "
     "hardware works. So for the service, yeah, you put a cache in front, like Redis or Memcached, Redis "
     "is really popular, everybody uses Redis, it has lots of data structures, sorted sets and so on. "
     "And you cache things. Things that are read a lot. And then the data can be old, so you need to "
     "expire it, with a time to live, a TTL, which is the time to live. So the time to live is "
     "important. And yeah you should monitor it. Monitoring is important for everything really, I "
     "always say if you don't measure it you can't improve it. Also caching can go wrong in many ways, "
     "lots of ways, it is one of the two hard problems in computer science, naming things and cache "
     "invalidation, that is a famous joke."),
    ("rambling", "bh-conflict",
     "My colleague wanted to ship a feature without tests to hit a date. I listened to why the date "
     "mattered, then showed him the two bugs the tests had caught last month. We agreed to ship with "
     "the critical tests only and add the rest the week after.",
     "Conflict, yes, well I don't really like conflict, I'm more of a peaceful person, my family is like "
     "that too, we never argue at dinner. But at work sometimes it happens, obviously, people are "
     "different, everyone has their own opinion and that's normal, that's life. So there was this "
     "colleague, a nice guy actually, he likes cycling, he did a big race last summer in the mountains. "
     "And he wanted to ship without tests, without tests, and I wanted tests, I really wanted tests. So "
     "we talked, we talked a lot, many meetings, too many meetings honestly, our company has too many "
     "meetings in general, that's a different problem. And I showed him some bugs I think, and then "
     "we kind of agreed, we shipped some tests, not all the tests, some of them, and the others came "
     "later, and he was okay with it, we are still friends, we had lunch last week."),
    ("rambling", "ds-p-value",
     "The p-value is the probability of data at least this extreme if the null hypothesis is true. A "
     "small one is evidence against the null, but it isn't the probability my hypothesis is true and it "
     "says nothing about effect size.",
     "P-values, okay, statistics, I studied statistics at university, I had a great professor, very "
     "strict but fair, she always wore the same green jacket. So the p-value, it's a number, between "
     "zero and one, it's a probability, and people use 0.05 usually, that's the usual one, although "
     "some fields use other numbers, physics uses something much smaller, five sigma, which is "
     "fascinating, the Higgs boson and so on. Anyway it's the probability, if there is no effect, of "
     "seeing something this extreme, I think, this extreme or more. And people get it wrong a lot, a "
     "lot of people, even scientists, there was a whole crisis about it, the replication crisis, I read "
     "a book about it on holiday, in Spain, it was very hot. So yeah, it's not the chance that you're "
     "right, and it doesn't say how big the effect is either, you need other things for that."),
    ("rambling", "pm-roadmap",
     "I start from the strategy and the outcomes we need this year, collect problems from users, data "
     "and stakeholders, rank them by impact, confidence and effort, and share the roadmap as themes "
     "and outcomes that we revisit every quarter.",
     "Roadmaps, yeah, so every company does roadmaps differently, at my first company we had a huge "
     "spreadsheet, like a hundred columns, colours everywhere, nobody understood it, it was kind of "
     "funny. Then at the next one we used a tool, I forget the name, it had nice timelines. So for me, "
     "um, you look at the strategy, what the company wants, and you talk to people, a lot of people, "
     "sales, support, the CEO, customers, everyone has ideas, everyone has opinions, that's the hard "
     "part, opinions. And you put it all together somehow, and you prioritise, there are frameworks for "
     "that, RICE, MoSCoW, Kano, lots of frameworks, I like frameworks, although sometimes they are too "
     "much. And then you share it. And it changes. It always changes. Roadmaps always change, that's the "
     "thing about roadmaps, they change, so you look at it again, every quarter maybe, or every month, "
     "it depends on the company and the situation and many things."),
    ("rambling", "fe-event-loop",
     "JavaScript runs on one thread. Finished timers and network callbacks wait in a task queue until "
     "the stack is empty, promise callbacks run first as microtasks, and a long synchronous loop blocks "
     "rendering and input.",
     "The event loop, right, this is a classic question, I've been asked this in like five interviews, "
     "it's always the event loop or closures. So JavaScript, it was created in ten days, did you know "
     "that, by Brendan Eich, at Netscape, which is crazy when you think how much of the world runs on "
     "it now. Anyway it's single-threaded, one thread, and there is a stack, the call stack, and there "
     "are queues, and the loop, the event loop, takes things from the queue when the stack is empty. "
     "And promises are special, they are microtasks, they go first, before timers. And there are web "
     "workers too, which are threads, but that's different, and Node has its own event loop with "
     "phases, libuv, which is also interesting but a bit different from the browser. So yeah if you do "
     "a long loop the page freezes, which is bad, users hate that, I hate that too when websites freeze, "
     "especially on my old phone."),
    ("rambling", "bh-failure",
     "I underestimated the testing for a client launch and we shipped a broken checkout. I told the "
     "client myself, rolled back within the hour and wrote a launch checklist with a staging review. "
     "We haven't had a broken launch since.",
     "Failure, well, I think failure is really important, you know, everybody fails, even famous "
     "people, like Edison with the light bulb, he failed a thousand times, or was it ten thousand, "
     "something like that. And I think the important thing is to learn, always learn, I'm a big "
     "believer in learning, I read a lot, podcasts too. So for me, there was a launch, a website for a "
     "client, and the checkout broke, which was bad, very bad, the client was not happy, obviously, "
     "nobody would be happy. And it was a Friday, of course, these things always happen on a Friday, "
     "it's like a law of nature. So we rolled it back, I think quite fast, and I called the client, and "
     "then later we made a checklist, a launch checklist, which we still use, I think, I'm not sure, I "
     "left the company after that, but I think they still use it, I hope so."),
    ("rambling", "ds-leakage",
     "Leakage is training on information the model won't have at prediction time, like a scaler "
     "fitted on the whole dataset or a feature computed from the future. It makes offline scores look "
     "better than production, so I fit preprocessing on the training split only.",
     "Data leakage, yes, it's a big problem in machine learning, huge, there are Kaggle competitions "
     "that were won because of leakage, which is kind of funny and kind of sad. I love Kaggle by the "
     "way, I did a few competitions, I was in the top twenty percent once. So leakage is when the model "
     "knows something it shouldn't know, like from the future, or from the test set, and then it looks "
     "amazing, amazing scores, and then in production it's terrible. And people don't notice, that's "
     "the scary part. So you have to be careful, very careful, with everything, scaling, encoding, "
     "everything, you fit it on the training data only, not everything. I once saw a model with 99 "
     "percent accuracy and everyone was celebrating, there was cake, and then it turned out the ID "
     "column was leaking the label, so, yeah, no more cake."),
    ("rambling", "pm-churn",
     "I'd first check the churn definition and tracking, then segment by cohort, plan and channel, "
     "look at recent releases, pricing changes and outages, and call a handful of churned customers to "
     "ask why they left.",
     "Churn, okay, churn is the enemy, every product manager hates churn, it's like a leaky bucket, you "
     "pour water in with marketing and it leaks out the bottom. I like that metaphor, I use it a lot. "
     "So first, um, I'd look at the data, the dashboards, we have a lot of dashboards, maybe too many, "
     "honestly nobody looks at half of them. And I'd check if something is broken, the data I mean. And "
     "then segments, cohorts, plans, whatever we have. And what changed, releases, prices, maybe an "
     "outage, there was a big cloud outage last month that took down half the internet, you probably "
     "remember. And talk to customers, customers are the best, I love talking to customers, sometimes "
     "they tell you things about their life too, one told me about his dog. So yeah, data, segments, "
     "changes, customers, that's what I would do, more or less, depending on the situation."),
    ("rambling", "bh-customer",
     "A customer's order arrived broken twice. I listened, apologised, sent a replacement by express "
     "that day and reported the packaging problem to the warehouse, which changed the box. He's still "
     "a customer.",
     "Customers, yes, I've worked with a lot of customers, in retail, in hospitality, I worked in a "
     "hotel for a summer when I was a student, that was a crazy summer, lots of stories. So one "
     "customer, he was really angry, really really angry, his order was broken, the second time "
     "actually, the second time, so I understand, I would be angry too. And he shouted a bit, on the "
     "phone, and I just listened, I'm a good listener, my friends always say that. And then I said "
     "sorry, we said sorry, and we sent him a new one, fast, express I think. And I told the warehouse, "
     "because the boxes were bad, the boxes were the problem, they were too thin, cheap boxes, you get "
     "what you pay for. And he was happy in the end, I think, he ordered again, and the warehouse "
     "changed the boxes, eventually, it took a while, they are slow, that's a different story."),
    ("rambling", "be-retries",
     "Retry only temporary errors like timeouts and 503s, with exponential backoff and jitter, a cap on "
     "attempts and a circuit breaker, and only for idempotent calls or ones with an idempotency key.",
     "Retries, hmm, retries are tricky, networks are unreliable, that's one of the fallacies of "
     "distributed computing, there are eight of them, I can't remember all of them, the network is "
     "reliable, latency is zero, bandwidth is infinite, something about topology. So yeah, you retry, "
     "when it fails you try again, but not immediately, you wait, and you wait longer each time, "
     "exponential, and a bit random, jitter, which is a funny word. And you stop at some point, you "
     "can't retry forever, that would be silly, and there is the circuit breaker pattern, like in your "
     "house, the electrical thing, when there is too much current it cuts off, same idea. And you "
     "should only retry safe things, idempotent things, otherwise you charge people twice, which is "
     "bad, I was charged twice once by an airline and it took three months to get my money back."),
    ("rambling", "fe-a11y-forms",
     "Each input gets a visible label, the form works with the keyboard and a visible focus, errors "
     "are written next to the field and announced to screen readers, and I use native inputs before "
     "custom widgets.",
     "Accessibility is so important, it's really close to my heart, my grandmother has bad eyesight and "
     "she struggles with websites all the time, especially banking websites, they're the worst, so many "
     "popups. So forms, you need labels, real labels, not placeholders, placeholders are not labels, "
     "people think they are but they are not. And the keyboard, it has to work with the keyboard, tab, "
     "tab, tab, and you have to see where you are, the focus, a lot of designers remove the focus ring "
     "because they think it's ugly, which drives me crazy, I have had that argument so many times. And "
     "errors, errors should be text, near the field, and screen readers should read them. There are "
     "tools for testing, axe, Lighthouse, lots of tools, and there are guidelines, WCAG, it's a long "
     "document, very long, I haven't read all of it, honestly nobody has."),
    ("rambling", "ds-imbalanced",
     "With a rare class accuracy misleads, so I'd use precision and recall or PR-AUC, class weights or "
     "resampling, stratified splits, and pick the threshold from the cost of each error type.",
     "Imbalanced data, oh, that's very common, in fraud, in medicine, in lots of things, most real "
     "problems are imbalanced actually, the textbooks always have nice balanced datasets, like iris, "
     "the flower dataset, everyone knows iris, it's from the 1930s I think, Fisher. So with imbalanced "
     "data, accuracy is bad, because you can just predict the big class and get 99 percent, which "
     "sounds amazing but it's useless, completely useless. So you use other metrics, precision, recall, "
     "there are so many metrics, F1, F2, AUC, PR AUC, I always have to look up which one is which, "
     "honestly. And you can resample, oversample, undersample, SMOTE, which makes fake examples, it's "
     "a bit weird when you think about it. And weights. And the threshold, you can move it. So yeah, "
     "lots of options, it depends, every problem is different, every dataset is different."),
]
