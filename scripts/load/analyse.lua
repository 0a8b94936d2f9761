-- wrk: POST /v1/analyse with a ~500-byte client message, authenticated with $TACT_KEY.
wrk.method = "POST"
wrk.path = "/v1/analyse"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TACT_KEY")
wrk.body = [[{"text": "Good morning. I am writing again because nobody answered my last three messages and I am getting really worried. My landlord says he will change the locks on Friday if the rent is not paid, and I have two small children. I lost my job last month and the benefit has not arrived yet. Can you please tell me what I can do, or who I can call today? You can reach me at 082 555 0199 or thandi.m@example.org. I am sorry for writing so much, I just do not know where to turn anymore and I am scared.", "language": "en"}]]
