// For tests and microbenchmarks: the 100 rows GET / serves, and a libpq result holding them,
// made without a database (PQmakeEmptyPGresult, PQsetvalue) so that rendering runs through the
// same libpq accessors as in the server.
#ifndef SERVERS_CPP_BEAST_SEED_USERS_H_
#define SERVERS_CPP_BEAST_SEED_USERS_H_

#include <libpq-fe.h>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace cpp_beast {

struct SeedUser {
  std::string_view user_id;
  std::string_view username;
  std::string_view email;
};

// What `SELECT user_id, username, email FROM "user" ORDER BY user_id LIMIT 100` returns from
// postgres/seed.sql (user_id is md5('userN') written as a UUID; byte order, as the C-locale
// cluster sorts). Rendered, they make the 10,283-byte document every GET / answers.
inline constexpr SeedUser kSeedUsers[] = {
    {"0018b944-141c-4104-d3a5-77516e7aa429", "user591", "user591@example.com"},
    {"006d8f05-d8de-16fa-f15d-bc1b400445a3", "user1393", "user1393@example.com"},
    {"00a65dd4-7e84-2bcc-3d82-a296301071fb", "user23", "user23@example.com"},
    {"00c445f1-5ad3-6767-f480-97dfe4a9bb63", "user1114", "user1114@example.com"},
    {"00d0e1e9-905c-e975-6d67-fbe75667bea6", "user1701", "user1701@example.com"},
    {"00ed29a6-4066-51af-e714-82b5470432f5", "user73", "user73@example.com"},
    {"010b5d95-58ce-9574-d147-30ceeb8e5b30", "user1334", "user1334@example.com"},
    {"014b0cee-42b6-1ae9-a518-dd8cfc2b2d72", "user1722", "user1722@example.com"},
    {"0179bb56-f0c1-3b18-1df4-7071047c1f45", "user1390", "user1390@example.com"},
    {"01aba695-dd9e-8b52-d282-9b6ad73664a8", "user1131", "user1131@example.com"},
    {"0245f660-8510-55ce-2500-77382ec52d21", "user933", "user933@example.com"},
    {"024c961a-6bf4-9906-72ba-5bdb86556b9c", "user325", "user325@example.com"},
    {"02e2d7a2-10c4-6ff2-0302-0c83369bf0f8", "user364", "user364@example.com"},
    {"02e3c117-a3d7-c6c0-bf99-c8a226dbeb48", "user1633", "user1633@example.com"},
    {"031d699a-42a2-960a-a1ad-c14a339f85d8", "user210", "user210@example.com"},
    {"033e20ee-6a7d-b816-ca92-d6ab792febca", "user1177", "user1177@example.com"},
    {"0341f7a2-362a-82e7-337f-39c1778a1504", "user1668", "user1668@example.com"},
    {"035b7deb-a5d6-8c0f-c420-082f5e71f17e", "user912", "user912@example.com"},
    {"036c0be3-9d41-7a93-8d08-01e819bed016", "user181", "user181@example.com"},
    {"03a2b89f-8492-2364-4395-d2951dadff6c", "user59", "user59@example.com"},
    {"03aa1a0b-0375-b046-1c1b-8f35b234e67a", "user11", "user11@example.com"},
    {"03d881ed-2e83-4634-47b0-9a2d44d6b576", "user423", "user423@example.com"},
    {"03e06471-5190-1d76-cb94-6af4990389a0", "user466", "user466@example.com"},
    {"03ee7b52-ce1c-e236-c285-533883b6b227", "user1545", "user1545@example.com"},
    {"03ee9f4f-e363-b0f6-1419-87998c2842b7", "user583", "user583@example.com"},
    {"040a74aa-9703-d2b7-56be-35ed86ecb8b0", "user1923", "user1923@example.com"},
    {"040d4521-9374-13f9-128a-7860df679166", "user655", "user655@example.com"},
    {"04121bed-3bd3-7d20-7ad4-53c68ca39a46", "user1903", "user1903@example.com"},
    {"04535f97-bae5-cd1c-2c75-af03e575dd1e", "user629", "user629@example.com"},
    {"0461ab86-14e0-8890-3b2f-75e367e0dcda", "user607", "user607@example.com"},
    {"046c40e2-73d7-28fb-9a40-17b9c9163548", "user813", "user813@example.com"},
    {"04a8a550-a5df-cb9f-5bf7-a2fd07731b5d", "user1003", "user1003@example.com"},
    {"04cee05c-ace3-8c74-6956-4442edd8f053", "user1385", "user1385@example.com"},
    {"04d116f1-c072-3901-49d1-2e7c5c919289", "user1017", "user1017@example.com"},
    {"04ddf7b2-199f-c1e3-9769-895da847e04b", "user847", "user847@example.com"},
    {"04df3838-0165-ce11-8759-f27f0001efa5", "user1779", "user1779@example.com"},
    {"04ee855e-6b23-3cff-7a7f-caa2ea43182d", "user734", "user734@example.com"},
    {"04f63202-fbfe-1942-46e7-af58d5b60d3a", "user642", "user642@example.com"},
    {"04fbaea1-d368-cd36-442c-a817156835aa", "user1837", "user1837@example.com"},
    {"0508e40d-9700-09a7-6616-940cafd246c2", "user404", "user404@example.com"},
    {"05303dda-917b-4ad9-3529-3a5a060cbbc0", "user1564", "user1564@example.com"},
    {"05627b50-e09a-c773-8462-56253fcdb483", "user227", "user227@example.com"},
    {"05b3e274-4cda-89f2-f3f6-e22b1df5a488", "user1394", "user1394@example.com"},
    {"05ce8458-ea24-19c2-a064-9d80b269be56", "user659", "user659@example.com"},
    {"05d7c468-97b1-33cd-e5c4-345442737622", "user76", "user76@example.com"},
    {"05f63f3f-fbca-378d-7200-dcbb491d5f45", "user1350", "user1350@example.com"},
    {"05fcba11-e292-5fe6-880b-e0cb2c668509", "user1882", "user1882@example.com"},
    {"06060a14-0ceb-23ff-e813-4781b71579c2", "user989", "user989@example.com"},
    {"060bb0b1-f7b5-0065-34aa-d6c5e5e5d122", "user1844", "user1844@example.com"},
    {"062a77f3-698a-2f69-4879-b8b24a915b80", "user224", "user224@example.com"},
    {"06381d98-17f3-83f1-84ea-a4b687c286ac", "user1902", "user1902@example.com"},
    {"06454e8b-5ab0-4f9e-edd0-cf5d74d61dba", "user1056", "user1056@example.com"},
    {"06614fd1-a8a7-7e14-6d36-a6da620df39b", "user293", "user293@example.com"},
    {"06655096-73d5-a24e-9daf-cefc7052fd48", "user554", "user554@example.com"},
    {"06986fe0-31ca-0b35-af3d-9dece4bf7cb4", "user455", "user455@example.com"},
    {"069925f9-14f1-e7c4-ece3-dfc62b604d97", "user1698", "user1698@example.com"},
    {"0699ddd4-0db0-b8a9-86ec-f120f5b872e5", "user57", "user57@example.com"},
    {"069cfb50-c8d4-6031-08e9-b98c12b5ac0f", "user594", "user594@example.com"},
    {"06b91d1b-3a46-4d4f-46bd-93ee66169f13", "user1007", "user1007@example.com"},
    {"06c3151a-fc25-61dd-9089-8ed7d5296b4c", "user1054", "user1054@example.com"},
    {"06caeabc-56c0-ab0c-96f4-a087d39841f4", "user424", "user424@example.com"},
    {"06f9420a-c55d-a374-f212-2ca938865e47", "user1757", "user1757@example.com"},
    {"06fe35e6-74cc-c1c8-2a37-8a31c310c526", "user1089", "user1089@example.com"},
    {"07123388-5abb-c9d2-d020-140728e64e4e", "user1406", "user1406@example.com"},
    {"071cbe1b-9f0d-6c84-6f9b-210492e6c0e0", "user1932", "user1932@example.com"},
    {"07215a5b-24b8-d3d4-8285-ea7d4ff025e5", "user771", "user771@example.com"},
    {"07257653-090e-33ce-ec12-65a57c60a989", "user1079", "user1079@example.com"},
    {"07423eb4-acf8-fd49-2df3-c719bbf10f65", "user1066", "user1066@example.com"},
    {"07499284-2495-966d-05e1-8fa70a10c30d", "user1084", "user1084@example.com"},
    {"076c08b1-b537-d5bc-ac0b-9fb04a76d7d1", "user1233", "user1233@example.com"},
    {"07831c02-5440-6f10-259a-9c69777b65ec", "user1024", "user1024@example.com"},
    {"078d079e-6146-dec4-dbf2-135a8e513e2e", "user27", "user27@example.com"},
    {"07a5cef5-59fd-0d90-7afc-6e963a057536", "user568", "user568@example.com"},
    {"07b47b75-fbdb-5af4-22bf-75653bc56d48", "user665", "user665@example.com"},
    {"07d4eaa4-651a-6ed5-e049-a200d1b4ee39", "user1556", "user1556@example.com"},
    {"07f90f25-8cec-1069-80fd-6d985cdb34cc", "user1340", "user1340@example.com"},
    {"0819fbb3-4d47-8478-2519-6c841e6fa199", "user599", "user599@example.com"},
    {"08453ffa-435e-5451-d0e6-efdc595672b7", "user248", "user248@example.com"},
    {"08980e4a-c381-c0a9-113c-089a7bfc3151", "user1820", "user1820@example.com"},
    {"08a3edb5-6f5b-c4b4-cfc8-8f03314558a5", "user970", "user970@example.com"},
    {"08b087f1-98ad-b86a-c021-1f7d46214c67", "user1520", "user1520@example.com"},
    {"08d03dc3-6f57-04cd-c866-9369d1f3c37e", "user1951", "user1951@example.com"},
    {"08e0b1de-4fd2-c876-78c3-2123afe5adc3", "user1359", "user1359@example.com"},
    {"08f396f5-b6e7-70cb-d38d-3f8482e01fd3", "user102", "user102@example.com"},
    {"090566b3-42b1-12a4-8556-ab059da82ef7", "user758", "user758@example.com"},
    {"0926410a-9e5f-e7ca-ff88-24ccd90a3bd0", "user1567", "user1567@example.com"},
    {"09456c33-aad7-9f55-64f1-8302f8eef81a", "user1004", "user1004@example.com"},
    {"094d3e56-8743-75bf-0f3c-7d7b82a325a6", "user1030", "user1030@example.com"},
    {"0953930c-badb-5aa3-7316-ace07eb7415e", "user1947", "user1947@example.com"},
    {"0966ca06-7f78-2dec-d078-9ea757f565d8", "user483", "user483@example.com"},
    {"097bb5e0-fc3d-17cc-a37b-a0fedb87c916", "user949", "user949@example.com"},
    {"09a14378-e011-b7d0-9789-53640e9a61a2", "user1051", "user1051@example.com"},
    {"09afcefb-e275-9bf7-b3ad-4764f93d573f", "user384", "user384@example.com"},
    {"09ca19d3-3161-03c9-669f-fa623d80c632", "user157", "user157@example.com"},
    {"09d6a3f3-5ecd-1154-1bb8-71379146295f", "user588", "user588@example.com"},
    {"09d94b55-f231-0350-1b14-08d69cbf383b", "user1055", "user1055@example.com"},
    {"0a320abe-b1c3-46c1-eb26-241ebe6d197d", "user1841", "user1841@example.com"},
    {"0a334183-3166-a23d-afc4-427879ccc88a", "user661", "user661@example.com"},
    {"0a6cebb2-7c9d-d89b-6125-5b4a01c2a1cb", "user229", "user229@example.com"},
    {"0a791842-f52a-0acf-bb3a-783378c066b8", "user5", "user5@example.com"},
};

inline constexpr std::size_t kSeedUsersJsonSize = 10283;

struct PGresultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PGresultPtr = std::unique_ptr<PGresult, PGresultDeleter>;

// A PGRES_TUPLES_OK result with columns user_id, username, email (text) holding `rows`.
inline PGresultPtr MakeUsersResult(std::span<const SeedUser> rows) {
  PGresultPtr result(PQmakeEmptyPGresult(nullptr, PGRES_TUPLES_OK));
  char user_id[] = "user_id", username[] = "username", email[] = "email";
  constexpr unsigned kTextOid = 25;
  PGresAttDesc columns[] = {{user_id, 0, 0, 0, kTextOid, -1, -1},
                            {username, 0, 0, 0, kTextOid, -1, -1},
                            {email, 0, 0, 0, kTextOid, -1, -1}};
  PQsetResultAttrs(result.get(), 3, columns);
  int row = 0;
  for (const SeedUser& user : rows) {
    int column = 0;
    for (std::string_view value : {user.user_id, user.username, user.email}) {
      PQsetvalue(result.get(), row, column++, const_cast<char*>(value.data()),
                 static_cast<int>(value.size()));
    }
    ++row;
  }
  return result;
}

}  // namespace cpp_beast

#endif  // SERVERS_CPP_BEAST_SEED_USERS_H_
