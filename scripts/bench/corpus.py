"""Synthetic but realistic school news: ~600-word Vietnamese posts, deterministic per seed.

Two shapes of the same text. ``school``: headings, paragraphs from a bank of real sentences
about school life, a list, a table and links to two earlier posts of the same school.
``blog``: posts shaped like Material-blog posts — a short opening cut off by the excerpt
separator ``<!-- more -->`` (Material's listings then show only the opening), an admonition,
a fenced block, a list and the same links. The same posts are written for trangtin, for
Material's blog plugin and for Pelican, so every tool renders the same text.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

SENTENCES = (
    "Sáng thứ Hai, toàn trường tổ chức lễ chào cờ đầu tuần với sự tham gia của cán bộ, "
    "giáo viên và học sinh.",
    "Thầy Hiệu trưởng nhắc nhở học sinh thực hiện nghiêm nội quy, đi học đúng giờ và giữ gìn "
    "vệ sinh lớp học.",
    "Các em học sinh lớp 9 đang tích cực ôn tập để chuẩn bị cho kỳ thi tuyển sinh vào lớp 10.",
    "Tổ Toán – Tin đã tổ chức buổi sinh hoạt chuyên môn theo nghiên cứu bài học với chủ đề "
    "phương trình bậc nhất.",
    "Giờ ra chơi, sân trường rộn ràng tiếng cười của các em bên những trò chơi dân gian "
    "như kéo co, nhảy dây, ô ăn quan.",
    "Ban đại diện cha mẹ học sinh đã trao tặng nhiều suất quà cho học sinh có hoàn cảnh "
    "khó khăn vươn lên trong học tập.",
    "Thư viện nhà trường được bổ sung hơn ba trăm đầu sách mới phục vụ nhu cầu đọc của "
    "giáo viên và học sinh.",
    "Liên đội phát động phong trào kế hoạch nhỏ, thu gom giấy vụn và chai nhựa để gây quỹ "
    "giúp bạn đến trường.",
    "Giáo viên chủ nhiệm thường xuyên liên hệ với phụ huynh qua sổ liên lạc điện tử để "
    "kịp thời nắm bắt tình hình học tập của các em.",
    "Hội khỏe Phù Đổng cấp trường năm nay có các nội dung điền kinh, bóng đá, cầu lông và "
    "cờ vua.",
    "Nhà trường phối hợp với Trạm Y tế xã khám sức khỏe định kỳ cho toàn bộ học sinh.",
    "Tiết học trải nghiệm tại vườn rau của trường giúp các em hiểu thêm về công việc của "
    "người nông dân.",
    "Cuộc thi Rung chuông vàng thu hút đông đảo học sinh khối 6 và khối 7 tham gia.",
    "Đoàn kiểm tra của Phòng Giáo dục và Đào tạo đánh giá cao công tác chuẩn bị năm học "
    "mới của nhà trường.",
    "Các lớp đã trang trí góc học tập, góc thư viện xanh thân thiện theo chủ đề mùa thu.",
    "Buổi ngoại khóa tuyên truyền về an toàn giao thông giúp học sinh nắm vững quy tắc "
    "khi đi xe đạp đến trường.",
    "Hội thi giáo viên dạy giỏi cấp trường diễn ra sôi nổi với nhiều tiết dạy ứng dụng "
    "công nghệ thông tin hiệu quả.",
    "Nhân dịp kỷ niệm Ngày Nhà giáo Việt Nam 20 tháng 11, học sinh đã dâng tặng thầy cô "
    "những bông hoa điểm tốt.",
    "Câu lạc bộ tiếng Anh sinh hoạt vào chiều thứ Năm hằng tuần với các hoạt động hát, "
    "kể chuyện và đóng kịch.",
    "Nhà trường đã hoàn thành việc cập nhật dữ liệu học sinh lên cơ sở dữ liệu ngành.",
    "Bếp ăn bán trú bảo đảm vệ sinh an toàn thực phẩm, thực đơn được thay đổi hằng ngày.",
    "Phụ huynh có thể theo dõi kết quả học tập của con em qua ứng dụng sổ điểm điện tử.",
    "Trong học kỳ I, có 95% học sinh đạt kết quả học tập từ mức khá trở lên.",
    "Chi đoàn giáo viên tổ chức tình nguyện sửa sang bàn ghế, quét vôi lại các phòng học.",
    "Học sinh được hướng dẫn kỹ năng phòng chống đuối nước và phòng cháy chữa cháy.",
    "Buổi lễ tổng kết năm học diễn ra trang trọng, tuyên dương những tập thể và cá nhân "
    "có thành tích xuất sắc.",
    "Các em đội viên đã đến thăm hỏi, tặng quà các gia đình chính sách trên địa bàn xã.",
    "Giáo viên tham gia tập huấn bồi dưỡng thường xuyên về chương trình giáo dục phổ thông "
    "2018.",
    "Ngày hội đọc sách được tổ chức với các hoạt động giới thiệu sách, vẽ tranh theo sách "
    "và thi kể chuyện.",
    "Nhà trường trân trọng cảm ơn các nhà hảo tâm đã đồng hành cùng học sinh trong suốt "
    "năm học.",
    "Đội tuyển học sinh giỏi của trường đạt hai giải nhì và ba giải ba cấp huyện.",
    "Các lớp thực hiện tốt phong trào xây dựng trường học xanh, sạch, đẹp và an toàn.",
    "Giờ sinh hoạt lớp cuối tuần là dịp để các em nhìn lại những việc đã làm được và "
    "chưa làm được.",
    "Mỗi học sinh được phát một cuốn sổ tay kỹ năng sống với nhiều tình huống gần gũi.",
    "Lớp học STEM về chế tạo xe chạy bằng năng lượng mặt trời được các em rất yêu thích.",
    "Hội đồng sư phạm đã họp bàn và thống nhất kế hoạch dạy học của học kỳ II.",
)

HEADINGS = (
    "Mục đích, yêu cầu", "Nội dung hoạt động", "Kết quả đạt được", "Ý kiến của phụ huynh",
    "Một số hình ảnh", "Kế hoạch tiếp theo", "Thành phần tham dự", "Những điểm nổi bật",
)

TITLE_TOPICS = (
    "Lễ khai giảng năm học mới", "Hội khỏe Phù Đổng", "Chuyên đề Toán học",
    "Ngày hội đọc sách", "Hội thi giáo viên dạy giỏi", "Tuyên truyền an toàn giao thông",
    "Sinh hoạt chuyên môn tổ", "Tổng kết học kỳ", "Trải nghiệm vườn rau", "Câu lạc bộ tiếng Anh",
    "Khám sức khỏe học sinh", "Kỷ niệm ngày Nhà giáo Việt Nam", "Thăm gia đình chính sách",
    "Hội nghị cha mẹ học sinh", "Cuộc thi Rung chuông vàng", "Lớp học STEM",
)

CATEGORIES = (
    "Tin tức – Sự kiện", "Thông báo", "Hoạt động chuyên môn", "Hoạt động Đoàn – Đội",
    "Trải nghiệm – Ngoại khóa", "Chuyển đổi số", "Thi đua – Khen thưởng",
)

TAGS = ("khai giảng", "thể thao", "đọc sách", "STEM", "an toàn", "chuyên môn", "tình nguyện",
        "phụ huynh", "học sinh giỏi", "bán trú")

AUTHORS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Thu Dung", "Hoàng Đức Em")


@dataclass
class BenchPost:
    """One synthetic post, independent of any tool's front-matter format."""

    slug: str
    title: str
    date: dt.datetime
    categories: list[str]
    tags: list[str]
    author: str
    team: int
    body: str
    links: list[str] = field(default_factory=list)  # slugs of the posts linked from the body

    @property
    def rel_path(self) -> str:
        """``yyyy/mm/slug.md``: where trangtin keeps it under ``posts/``."""
        return f"{self.date:%Y}/{self.date:%m}/{self.slug}.md"


SHAPES = ("school", "blog")


def make_posts(count: int, seed: int, end: dt.datetime, years: int = 10,
               shape: str = "school") -> list[BenchPost]:
    """``count`` posts spread evenly over ``years`` years before ``end``, oldest first."""
    body = {"school": _body, "blog": _blog_body}[shape]
    rng = random.Random(seed)
    span = dt.timedelta(days=365 * years)
    step = span / max(count, 1)
    start = end - span
    posts: list[BenchPost] = []
    for n in range(count):
        date = (start + step * n).replace(second=0, microsecond=0)
        topic = TITLE_TOPICS[n % len(TITLE_TOPICS)]
        title = f"{topic} – bài số {n + 1}"
        slug = f"bai-{n + 1:05d}"
        earlier = [posts[i] for i in rng.sample(range(len(posts)), min(2, len(posts)))]
        posts.append(BenchPost(
            slug=slug, title=title, date=date,
            categories=rng.sample(CATEGORIES, rng.choice((1, 1, 2))),
            tags=rng.sample(TAGS, rng.randint(0, 3)), author=rng.choice(AUTHORS),
            team=rng.randrange(3), body=body(rng, title, earlier),
            links=[p.slug for p in earlier]))
    return posts


def _body(rng: random.Random, title: str, earlier: list[BenchPost]) -> str:
    parts = [_paragraph(rng, 3)]
    for heading in rng.sample(HEADINGS, 4):
        parts.append(f"## {heading}")
        parts.append(_paragraph(rng, rng.randint(3, 5)))
    parts.insert(3, _bullets(rng))
    parts.insert(6, _table(rng))
    parts.append(_paragraph(rng, 2))
    if earlier:
        links = ", ".join(f"[{p.title}](LINK:{p.slug})" for p in earlier)
        parts.append(f"Xem thêm: {links}.")
    return "\n\n".join(parts) + "\n"


def _blog_body(rng: random.Random, title: str, earlier: list[BenchPost]) -> str:
    parts = [_paragraph(rng, 2), "<!-- more -->"]
    for n, heading in enumerate(rng.sample(HEADINGS, 4)):
        parts.append(f"## {heading}")
        parts.append(_paragraph(rng, rng.randint(3, 5)))
        if n == 0:
            parts.append(f'!!! note "Lưu ý"\n\n    {_paragraph(rng, 2)}')
        if n == 1:
            parts.append(_bullets(rng))
        if n == 2:
            parts.append("```text\n" + "\n".join(f"{7 + h}:00  {rng.choice(TITLE_TOPICS)}"
                                                    for h in range(4)) + "\n```")
    if earlier:
        links = ", ".join(f"[{p.title}](LINK:{p.slug})" for p in earlier)
        parts.append(f"Xem thêm: {links}.")
    return "\n\n".join(parts) + "\n"


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def _bullets(rng: random.Random) -> str:
    return "\n".join(f"- {rng.choice(SENTENCES)}" for _ in range(rng.randint(3, 5)))


def _table(rng: random.Random) -> str:
    rows = ["| Lớp | Sĩ số | Đạt khá, giỏi | Ghi chú |", "|---|---:|---:|---|"]
    for grade in range(6, 10):
        size = rng.randint(30, 45)
        rows.append(f"| {grade}A | {size} | {rng.randint(15, size)} | {rng.choice(TAGS)} |")
    return "\n".join(rows)


def word_count(posts: list[BenchPost]) -> int:
    return sum(len(p.body.split()) for p in posts)
