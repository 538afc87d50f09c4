"""Realistic spoken answers for the rubric tests: for each question a strong answer (a real story or
explanation with specifics) and a vague one of the kind candidates really give."""

from __future__ import annotations

from typing import Any


def q(qid: str, kind: str, competency: str, text: str, key_points: list[str], role: str = "software engineer",
      difficulty: int = 2) -> dict[str, Any]:
    return {"id": qid, "role": role, "competency": competency, "difficulty": difficulty, "kind": kind,
            "text": text, "key_points": key_points}


PAIRS: list[tuple[dict[str, Any], str, str]] = [
    (
        q("b-conflict", "behavioural", "conflict",
          "Tell me about a time you disagreed with a colleague.",
          ["disagreement with a colleague", "listened to their view", "found a compromise", "outcome"]),
        "Um, so last year at my previous company I was leading the payments API migration. My goal was to "
        "move us off the old service before the end of the quarter. A senior colleague, Dave, disagreed, "
        "he wanted to rewrite everything from scratch. So I set up a meeting, I listened to his concerns, "
        "and I proposed a compromise: we would migrate in three phases and rewrite only the billing "
        "module. As a result we finished two weeks early and payment errors went down by 40 percent.",
        "Uh, yeah, I mean I get along with everyone usually. If we disagree, like, we just talk about it "
        "and, you know, find a solution together. Communication is really important in a team, I think, so "
        "I always try to be open and respectful with my colleagues.",
    ),
    (
        q("b-failure", "behavioural", "learning from failure",
          "Tell me about a time you failed.",
          ["a real failure", "own responsibility", "what you learned", "what you changed"]),
        "Okay so, in my first job at a small agency I was responsible for a client's website launch. I "
        "underestimated the testing and we launched with a broken checkout on a Friday. I owned it: I "
        "called the client myself, I rolled back within an hour, and I wrote a launch checklist with a "
        "staging review. Since then we never had a broken launch again, and the checklist is still used by "
        "the team. What I learned is to plan testing time up front.",
        "Hmm, I guess I don't really fail that much, to be honest. Sometimes things don't go perfectly, "
        "like, a project is late or something, but I always try my best and I learn from it. I think "
        "failure is part of growing and, um, it's important to stay positive.",
    ),
    (
        q("b-leadership", "behavioural", "leadership",
          "Describe a time you led a team through a difficult project.",
          ["led the team", "difficult project", "how you motivated people", "result"]),
        "So two years ago I led a team of five engineers to rebuild our mobile app in React Native in "
        "three months. The task was hard because two people had never used React. I paired each of them "
        "with a senior, I split the work into two-week milestones and I ran a short demo every Friday to "
        "keep everyone motivated. In the end we shipped on time, and the app rating went from 3.2 to 4.5 "
        "stars.",
        "Uh, I think I'm a natural leader, people usually listen to me. When the project is difficult I "
        "motivate the team and, you know, keep everyone positive. I like to lead by example and make sure "
        "everybody is happy and that the work gets done.",
    ),
    (
        q("b-deadline", "behavioural", "time management",
          "Tell me about a time you had to meet a tight deadline.",
          ["tight deadline", "prioritised", "communicated", "delivered"]),
        "Um, at my last job in March we had a regulatory report due in five days, and normally it takes "
        "three weeks. I was in charge of the data part. I listed every requirement, I prioritised the ones "
        "the regulator actually checks, and I asked my manager to move two other tasks. I also automated "
        "the export with a Python script. We delivered a day early and the script now saves about ten "
        "hours every month.",
        "Yeah, deadlines are, like, normal in my job. I work well under pressure, so when there's a "
        "deadline I just work harder and stay late if I need to. I'm very organised and I make lists, so "
        "usually everything is fine and I meet the deadline.",
    ),
    (
        q("b-customer", "behavioural", "customer focus",
          "Tell me about a time you dealt with a difficult customer.",
          ["difficult customer", "listened", "solved the problem", "customer outcome"]),
        "Sure, so when I was working at a phone shop, a customer came in really angry because his phone "
        "had been repaired twice and was still broken. My job was to keep him as a customer. I listened to "
        "the whole story without interrupting, I apologised, and I offered him a replacement phone the "
        "same day instead of a third repair. He calmed down, he left a five star review, and he actually "
        "came back later to buy a tablet.",
        "I think, um, with difficult customers you have to be patient. You know, the customer is always "
        "right, so I stay calm and polite and try to help them. Usually they calm down in the end. I'm "
        "good with people so it's not a big problem for me.",
    ),
    (
        q("b-initiative", "behavioural", "initiative",
          "Give me an example of when you took the initiative.",
          ["saw a problem no one owned", "acted without being asked", "impact"]),
        "So in my previous role, our support team was spending hours every week copying bug reports into "
        "Jira by hand. Nobody owned that problem. I decided to build a small Slack bot over a weekend that "
        "creates the ticket from a message. I showed it to the support lead, she loved it, and we rolled "
        "it out. It cut the time spent on triage by about 60 percent, roughly six hours a week.",
        "Um, I'm a very proactive person. I always try to do more than what's expected, like, if I see "
        "something that can be improved I'll mention it to my manager. I think taking initiative is "
        "important because it shows you care about the company.",
    ),
    (
        q("b-mistake", "behavioural", "accountability",
          "Tell me about a mistake you made at work.",
          ["admitted the mistake", "fixed it", "prevented it happening again"]),
        "Uh, in 2022 at Contoso I accidentally deleted a production table during a migration. It was my "
        "responsibility, so I told my lead within five minutes, I restored it from the backup, and we lost "
        "about twenty minutes of data. After that I proposed a rule that every migration runs first on a "
        "copy, and I wrote the script for it. We haven't had a data loss since then.",
        "Yeah, everybody makes mistakes, right? I made some small mistakes, like typos in emails or, you "
        "know, forgetting a meeting once. But I always fix them quickly and I'm careful, so nothing really "
        "bad happened. I think it's important to learn from mistakes.",
    ),
    (
        q("b-teamwork", "behavioural", "teamwork",
          "Describe a time you worked with a team to achieve a goal.",
          ["shared goal", "your role in the team", "collaboration", "result"]),
        "So last summer our team of four had to launch a new onboarding flow before a marketing campaign. "
        "My role was the backend and the analytics. I met the designer every morning, I built the API in "
        "two weeks, and I set up the funnel dashboard so we could see drop-off. We launched on time, and "
        "signups increased by 25 percent in the first month.",
        "Um, I love working in teams. In my last job we did a lot of projects together, and, like, "
        "everyone helped each other. We had good communication and we always achieved our goals because we "
        "were a really good team, basically.",
    ),
    (
        q("b-persuade", "behavioural", "influence",
          "Tell me about a time you convinced someone to change their mind.",
          ["someone disagreed", "used evidence", "they changed their mind"]),
        "Okay, so at my last job our product manager wanted to skip automated tests to ship faster. I "
        "collected the data from the last quarter: 14 of our 20 production incidents were regressions that "
        "tests would have caught. I showed her the numbers in a ten minute meeting and suggested we add "
        "tests only for the checkout. She agreed, and the next quarter we had only three incidents.",
        "Hmm, I'm usually quite persuasive. I explain my point of view clearly and, uh, people usually "
        "agree with me after a while. If they don't, I try again with different arguments. I think it's "
        "about being confident and, like, respectful.",
    ),
    (
        q("b-pressure", "behavioural", "stress",
          "How do you handle pressure? Give an example.",
          ["a specific stressful situation", "how you stayed calm", "outcome"], role="nurse"),
        "Um, one night shift last winter two patients on my ward got worse at the same time and I was the "
        "only senior nurse. I called the rapid response team for the first patient, I asked a junior nurse "
        "to take observations every fifteen minutes on the second, and I kept the doctor updated. Both "
        "patients were stable by the morning, and my manager used that night as an example in our "
        "training.",
        "I handle pressure well. I stay calm and, um, I don't panic. I think it's about being organised "
        "and having a positive attitude, you know. I also do yoga which helps me relax after work so the "
        "stress doesn't affect me too much.",
    ),
    (
        q("b-feedback", "behavioural", "receiving feedback",
          "Tell me about a time you received critical feedback.",
          ["specific feedback", "how you reacted", "what you changed"]),
        "So in my first performance review at Globex, my manager told me my code reviews were too harsh "
        "and two juniors felt discouraged. I was surprised, but I asked her for examples. I then changed "
        "my reviews: I started with what worked, I phrased comments as questions, and I offered to pair on "
        "big changes. Six months later, in the team survey, my review score went from 2.8 to 4.6 out of 5.",
        "I'm very open to feedback, I think feedback is a gift. When I get feedback I listen and I try to "
        "improve, like, I never take it personally. My managers always said I'm easy to work with, so, um, "
        "yeah, I don't have problems with feedback.",
    ),
    (
        q("b-priorities", "behavioural", "prioritisation",
          "Tell me about a time you had too many priorities at once.",
          ["competing priorities", "how you decided", "communicated trade-offs", "result"],
          role="project manager"),
        "Right, so last quarter I was running three projects and the CEO added an urgent partner "
        "integration. I listed all the work with my director, I estimated each item, and I proposed "
        "pausing the internal dashboard for two weeks. I told the dashboard stakeholders the new date "
        "myself. We delivered the integration in twelve days, and the partner deal was worth about 200 "
        "thousand dollars a year.",
        "Uh, I'm good at multitasking. I just make a to-do list every morning and I do the most important "
        "things first. Sometimes it's a lot, but, you know, I manage. I think prioritising is really about "
        "being organised and working hard.",
    ),
    (
        q("b-learn", "behavioural", "learning",
          "Tell me about a time you had to learn something new quickly.",
          ["new skill", "how you learned", "applied it", "result"], role="data analyst"),
        "Sure. When I joined my current team in January, they used SQL and dbt, and I had only used Excel. "
        "I needed to build a sales report in my first month. I took an online course in the evenings, I "
        "asked a colleague to review my first queries, and I rebuilt one old report as practice. By "
        "February I delivered the sales report, and it replaced a spreadsheet that took two days to update "
        "by hand.",
        "I'm a fast learner, honestly. I like learning new things, like, I watch YouTube videos and read "
        "articles. When I need to learn something new I just focus on it and, um, practise until I "
        "understand it. I think curiosity is very important.",
    ),
    (
        q("t-index", "technical", "databases",
          "What is a database index and when would you use one?",
          ["speeds up lookups", "b-tree", "cost on writes", "extra storage", "query plan"]),
        "So, um, an index is a separate data structure, usually a B-tree, that keeps the values of a "
        "column sorted with pointers to the rows, so lookups become logarithmic instead of a full table "
        "scan. You use it on columns you filter or join on a lot. The trade-off is that every insert and "
        "update also has to update the index, so writes get slower and it takes extra storage. For "
        "example, at my last job we added an index on orders.customer_id and the query went from two "
        "seconds to 15 milliseconds; I checked the query plan with EXPLAIN to confirm it was used.",
        "Um, an index is like, the index of a book, basically. It makes the database faster. You should "
        "use it when the database is slow, I think. Most databases have them and you can just add them to "
        "the table, so yeah, it's useful for performance.",
    ),
    (
        q("t-cache", "technical", "caching",
          "How would you add caching to a slow API?",
          ["cache layer such as redis", "cache invalidation", "ttl", "hit rate", "stale data"]),
        "Uh, first I'd measure which endpoints are slow and how often the same request repeats. Then I'd "
        "put a cache like Redis in front of the expensive queries, keyed by the request parameters, with a "
        "TTL. The hard part is invalidation: when the data changes you either delete the key on write or "
        "accept some stale data for the TTL, which depends on the business. I'd track the hit rate and "
        "latency. For instance, we cached product pages for 60 seconds and p99 latency dropped from 800 to "
        "90 milliseconds.",
        "I would use a cache to make it faster. Caching is when you save the data so you don't need to get "
        "it again, so the API is faster. There are many tools for caching, I think, and, um, it's a common "
        "solution for performance problems.",
    ),
    (
        q("t-rest", "technical", "api design",
          "What makes a good REST API?",
          ["resources and http methods", "status codes", "versioning", "pagination", "idempotency"]),
        "So a good REST API models resources as nouns, like /orders/123, and uses the HTTP methods for the "
        "action: GET to read, POST to create, PUT or PATCH to update. It returns the right status codes, "
        "404 when something is missing, 409 for conflicts. For lists you need pagination, otherwise one "
        "request can return a million rows. PUT and DELETE should be idempotent so clients can retry "
        "safely. And you version it, for example /v2, because mobile clients update slowly.",
        "Um, a good API is easy to use and, you know, well documented. It should be fast and secure. REST "
        "is a popular style, basically it uses HTTP. I think the most important thing is that the "
        "developers who use it are happy with it.",
    ),
    (
        q("t-test", "technical", "testing",
          "How do you decide what to test in a project?",
          ["unit tests", "integration tests", "risk based", "test pyramid", "coverage"]),
        "I start from risk: what breaks most often and what costs the most when it breaks. Pure logic, "
        "like pricing rules, gets fast unit tests. The places where we talk to the database or another "
        "service get a few integration tests, because that's where mocks lie. That's the test pyramid: "
        "many unit tests, fewer integration tests, a handful of end-to-end. I don't chase 100 percent "
        "coverage, however, I do add a test for every bug we fix, so it never comes back. On my last "
        "project that took our regressions from about one a week to one a month.",
        "Uh, I test everything that's important. Testing is really important for quality, so I try to "
        "write a lot of tests, like, as many as possible. We use a testing framework and we run the tests "
        "before we release, so usually there are no bugs.",
    ),
    (
        q("t-async", "technical", "concurrency",
          "Explain the difference between threads and async I/O.",
          ["threads run in parallel or are preempted", "async uses an event loop", "io bound vs cpu bound",
           "blocking calls"],
          ),
        "So threads are scheduled by the operating system, they can be preempted at any point, which means "
        "you need locks for shared state. Async I/O runs many tasks on one thread with an event loop, and "
        "a task only gives up control at an await, so it's great for I/O-bound work like thousands of "
        "websocket connections. The catch is that one blocking call, say a slow CPU-bound function, "
        "freezes the whole loop, so you push that into a worker thread. For example, in our chat server we "
        "moved to asyncio and handled 10,000 connections on one core.",
        "Threads and async are both for doing things at the same time. Async is more modern, I think, and "
        "it's faster. Um, threads are older and more complicated. In Python we use async a lot now, so I "
        "would use async for most things, basically.",
    ),
    (
        q("t-scaling", "technical", "system design",
          "How would you scale a web application that is getting slow?",
          ["measure first", "horizontal scaling with a load balancer", "database bottleneck",
           "caching", "stateless servers"],
          ),
        "First I'd measure where the time goes, with tracing, because scaling the wrong thing is "
        "expensive. If the app servers are the bottleneck, I'd make them stateless and put more of them "
        "behind a load balancer. Usually though it's the database: I'd add indexes, a read replica for "
        "reporting, and a cache for hot data. The trade-off with replicas is eventual consistency, a user "
        "might not see their own write immediately. At my last job that approach let us go from 2,000 to "
        "15,000 users without changing the database server.",
        "I would add more servers, basically. If the app is slow you need more power, so you can buy a "
        "bigger server or use the cloud. Um, the cloud is very scalable. I think it also depends on the "
        "budget of the company, you know.",
    ),
    (
        q("t-git", "technical", "version control",
          "How do you handle a merge conflict in git?",
          ["understand both changes", "resolve and test", "communicate with the other author",
           "small frequent merges"],
          ),
        "Um, first I look at both sides of the conflict to understand what each change was trying to do, "
        "because just picking mine can silently drop someone's fix. If it's not obvious I message the "
        "other author. Then I resolve it, run the tests locally, and commit the merge. To avoid it in the "
        "first place I keep branches small and rebase on main every day. For example, on my team we moved "
        "to short-lived branches and conflicts went from weekly to almost never.",
        "A merge conflict is when git can't merge. You just open the file and fix it, I think, like, "
        "choose the right code. Then you commit again. It happens a lot, so it's normal, you know, it's "
        "not a big deal usually.",
    ),
    (
        q("t-ml", "technical", "machine learning",
          "How do you know if a machine learning model is overfitting?",
          ["training vs validation gap", "cross validation", "regularisation", "more data"],
          role="data scientist"),
        "The main signal is the gap between training and validation performance: if training accuracy "
        "keeps going up while validation accuracy goes down, the model is memorising. I use "
        "cross-validation to make sure that's not noise from one split. To fix it, I'd add regularisation, "
        "simplify the model, or get more data. For example, on a churn model our training AUC was 0.97 but "
        "validation was 0.71; with fewer features and L2 regularisation we got 0.84 on both.",
        "Overfitting is when the model is too good on the data, I think. You can see it when the results "
        "are not good in real life. Um, it's a common problem in machine learning, so you have to be "
        "careful and, like, test the model well.",
    ),
    (
        q("t-security", "technical", "security",
          "How would you store user passwords securely?",
          ["never plain text", "slow hash like bcrypt or argon2", "salt", "rate limiting"]),
        "You never store the password itself, only a hash, and not a fast hash like SHA-256 but a slow one "
        "designed for passwords, like bcrypt or Argon2, because attackers can try billions of fast hashes "
        "a second. Each password gets its own random salt so identical passwords don't have identical "
        "hashes. The cost is that login takes maybe 100 milliseconds of CPU, which is fine. I'd also add "
        "rate limiting on the login endpoint. In my last project we migrated from MD5 by rehashing on next "
        "login.",
        "Um, passwords should be secure, so I would encrypt them in the database. Security is very "
        "important nowadays because of hackers, you know. I would also make users choose strong passwords "
        "with numbers and symbols.",
    ),
]
